package org.eventloop4j;

/**
 * Lets a foreign object (a JavaScript object from an engine adapter, say) take part in promise resolution exactly as
 * the specification reads: when a {@link Promise} is resolved with an object implementing this interface, it calls
 * {@link #lookupThen()} once, on the promise's loop thread, which is ECMAScript's {@code Get(x, "then")}.
 *
 * <ul>
 * <li>If the lookup throws, the promise rejects with that throwable (unchanged).</li>
 * <li>If it returns null ({@code then} is not callable), the promise fulfils with the object itself.</li>
 * <li>Otherwise the promise adopts the returned {@link Thenable} in a microtask, which should call the looked-up
 * function with the object as {@code this} (the lookup is not repeated).</li>
 * </ul>
 *
 * <p>For adapter authors (GraalJS): implement this on the host-side wrapper of a JS value; in {@code lookupThen()}
 * read the member {@code then} once, return null unless it is executable, else return
 * {@code (resolve, reject) -> thenFn.execute(self, resolveProxy, rejectProxy)} where the proxies call the given
 * consumers. JavaScript rejection values that are not {@link Throwable}s should be wrapped in the adapter's carrier
 * exception on the way in and unwrapped on the way out: promises never wrap or replace a reason they pass along, so
 * the carrier's identity survives chains, combinators and {@code finallyDo}.
 */
@FunctionalInterface
public interface ThenableLookup {

    /**
     * Looks up the object's {@code then} function, once.
     *
     * @return the bound {@code then} to call, or null if the object is not thenable
     * @throws Throwable rejects the promise being resolved with exactly this throwable
     */
    Thenable lookupThen() throws Throwable;
}
