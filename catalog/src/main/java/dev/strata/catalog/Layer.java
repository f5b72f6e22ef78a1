package dev.strata.catalog;

/** One layer of an image: its (compressed) blob digest and size, and the step that made it. */
public record Layer(String digest, long size, String createdBy) {
  public Layer {
    if (digest == null || digest.isBlank()) {
      throw new IllegalArgumentException("a layer needs a digest");
    }
    createdBy = createdBy == null ? "" : createdBy;
  }
}
