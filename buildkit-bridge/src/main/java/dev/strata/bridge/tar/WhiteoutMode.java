package dev.strata.bridge.tar;

/**
 * What extraction does with whiteout ({@code .wh.name}) and opaque ({@code .wh..wh..opq}) entries.
 */
public enum WhiteoutMode {
  /**
   * Applies them to the tree below: delete {@code name}, empty the opaque directory of everything
   * this layer did not write. For flattening layers into one rootfs.
   */
  APPLY,
  /**
   * Turns them into overlayfs markers: a 0/0 character device for a whiteout, the xattr {@code
   * trusted.overlay.opaque=y} for an opaque directory. For per-diffID directories used as overlay
   * lower layers. Needs root.
   */
  OVERLAY
}
