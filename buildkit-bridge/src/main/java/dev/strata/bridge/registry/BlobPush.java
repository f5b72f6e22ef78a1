package dev.strata.bridge.registry;

/** What {@link Registry#pushBlob} did to make a blob present. */
public enum BlobPush {
  /** The repository already had it: only a {@code HEAD} was sent. */
  EXISTED,
  /** Another repository on the same registry had it and it was mounted, not uploaded. */
  MOUNTED,
  /** Its bytes were uploaded. */
  UPLOADED
}
