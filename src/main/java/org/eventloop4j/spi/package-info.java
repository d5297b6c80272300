/**
 * The service-provider interface for native readiness pollers.
 *
 * <p>Third-party pollers implement {@link org.eventloop4j.spi.PollerProvider} and
 * {@link org.eventloop4j.spi.Poller}; see {@code docs/pollers.md} for the contract and the selection rules.
 */
package org.eventloop4j.spi;
