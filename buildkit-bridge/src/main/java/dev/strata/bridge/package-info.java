/**
 * Owns the native daemonless engine and the BuildKit engine (issues 4, 5 and 9).
 *
 * <p>So far: {@code tar} (exact layer tars: a hand-written ustar+PAX writer and reader, layer
 * writing with one-pass gzip digests, and extraction with whiteouts), {@code fs} (the POSIX calls
 * NIO lacks) {@code store} (the local OCI-layout store) and {@code oci} (digests, descriptors,
 * manifest, index, and an image config kept as raw JSON, all rendered to canonical bytes once).
 */
package dev.strata.bridge;
