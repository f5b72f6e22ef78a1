package dev.strata.bridge.registry;

import dev.strata.bridge.oci.ContentBlob;
import dev.strata.bridge.oci.Digest;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Optional;

/**
 * One registry host (e.g. {@code localhost:5000}, {@code quay.io}): manifests as exact bytes, blobs
 * streamed and digest-verified, pushes that skip or mount what is already there. Repositories are
 * paths on this host ({@code corp/base}); references are tags or {@code sha256:} digests.
 *
 * <p>Every failure is a {@link RegistryAccessException} whose {@link
 * RegistryAccessException#kind()} says what went wrong; transient failures (5xx, resets, refused
 * connections) are retried first. Obtain one from {@link RegistryConnector#connect(String)}.
 */
public interface Registry extends Closeable {
  /** The host and optional port this registry is reached at, as the user names it. */
  String host();

  /**
   * The manifest or index {@code reference} (a tag or digest) names in {@code repository}, as the
   * exact bytes the registry serves with their media type; empty when the registry does not know
   * it. When {@code reference} is a digest the bytes are verified against it.
   */
  Optional<ContentBlob> manifest(String repository, String reference) throws IOException;

  /** Whether {@code repository} already has the blob (a {@code HEAD} request). */
  boolean hasBlob(String repository, Digest digest) throws IOException;

  /**
   * Streams a blob into {@code sink}, failing (after writing) if its bytes do not hash to {@code
   * digest}. A failed attempt may have written part of the blob; callers write to a temporary place
   * and keep it only on success (as {@link ImageTransfer} does through the store).
   */
  void pullBlob(String repository, Digest digest, OutputStream sink) throws IOException;

  /**
   * Makes the blob present in {@code repository}: nothing is sent when it already is there, it is
   * mounted when one of {@code mountFrom} (other repositories on this host) has it, otherwise it is
   * uploaded from {@code content}. Says which of the three happened.
   */
  BlobPush pushBlob(String repository, Digest digest, BlobSource content, List<String> mountFrom)
      throws IOException;

  /**
   * Puts the exact bytes of a manifest or index under {@code reference} (a tag, or its own digest)
   * with its media type. The blobs it names must be pushed first. Returns the digest the registry
   * reports, which equals {@code manifest.digest()}.
   */
  Digest pushManifest(String repository, String reference, ContentBlob manifest) throws IOException;

  /** The tags of {@code repository}, sorted; empty when the repository does not exist. */
  List<String> tags(String repository) throws IOException;

  /**
   * The repositories this registry lists in its catalog ({@code GET /v2/_catalog}, every page),
   * sorted. Registries that do not offer the catalog API answer with an access error.
   */
  List<String> repositories() throws IOException;
}
