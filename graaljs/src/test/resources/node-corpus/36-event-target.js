const et = new EventTarget();
const h = e => console.log('h', e.type, e.detail ?? '-');
et.addEventListener('ping', h);
et.addEventListener('ping', h); // duplicate ignored
et.addEventListener('ping', () => console.log('once'), { once: true });
et.addEventListener('ping', { handleEvent(e) { console.log('handleEvent object', e.type); } });
console.log('dispatch returns', et.dispatchEvent(new Event('ping')));
et.dispatchEvent(new Event('ping'));
et.removeEventListener('ping', h);
et.dispatchEvent(new Event('ping'));
const ev = new Event('x', { cancelable: true });
et.addEventListener('x', e => e.preventDefault());
console.log('not canceled?', et.dispatchEvent(ev), ev.defaultPrevented);
