package dev.strata.bridge.registry;

import dev.strata.bridge.oci.Digest;

/**
 * One step of a pull or push, for progress display and JSON output: which image, which content,
 * what happened to it.
 */
public record TransferEvent(Kind kind, String image, Digest digest, long size) {
  /** What happened. */
  public enum Kind {
    /** A blob was already in the local store; not downloaded. */
    BLOB_CACHED,
    /** A blob was downloaded into the local store. */
    BLOB_PULLED,
    /** A blob was already in the target repository; not sent. */
    BLOB_EXISTED,
    /** A blob was mounted from another repository of the same registry; not sent. */
    BLOB_MOUNTED,
    /** A blob was uploaded. */
    BLOB_UPLOADED,
    /** A manifest or index was stored locally (pull) or put by digest (push). */
    MANIFEST,
    /** The reference now points at the complete image (the last step of a pull or push). */
    TAGGED,
    /** A mirror did not have the image (or failed); the next candidate is tried. */
    MIRROR_SKIPPED
  }
}
