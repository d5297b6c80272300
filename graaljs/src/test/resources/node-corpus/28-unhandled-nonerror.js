// Unhandled rejection with a non-Error reason and no handler.
Promise.reject(42);
