/**
 * Registry I/O for the native engine: one {@link dev.strata.bridge.registry.Registry} interface
 * over jib-core's {@code RegistryClient} (exact manifest bytes, digest-verified blobs,
 * skip-existing and cross-repository mounts, push by digest then tag), credentials from docker and
 * podman auth files, per-registry insecure opt-in, retries, mirrors, and {@link
 * dev.strata.bridge.registry.ImageTransfer} between the local OCI layout store and a registry.
 *
 * <p>jib's registry package is internal to jib; {@code JibRegistry} is the only class that touches
 * it, and the jib-core version is pinned in the root pom.
 */
package dev.strata.bridge.registry;
