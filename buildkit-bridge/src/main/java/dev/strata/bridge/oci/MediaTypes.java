package dev.strata.bridge.oci;

import dev.strata.graph.project.LayerCompression;

/** The OCI media types Strata writes, and the Docker ones it reads. */
public final class MediaTypes {
  public static final String IMAGE_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  public static final String IMAGE_INDEX = "application/vnd.oci.image.index.v1+json";
  public static final String IMAGE_CONFIG = "application/vnd.oci.image.config.v1+json";
  public static final String LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";
  public static final String LAYER_ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";
  public static final String LAYER_TAR = "application/vnd.oci.image.layer.v1.tar";

  // Docker schema 2 types: registries serve many bases in them; pulled bytes are kept as served.
  public static final String DOCKER_MANIFEST =
      "application/vnd.docker.distribution.manifest.v2+json";
  public static final String DOCKER_MANIFEST_LIST =
      "application/vnd.docker.distribution.manifest.list.v2+json";
  private static final String DOCKER_LAYER_GZIP =
      "application/vnd.docker.image.rootfs.diff.tar.gzip";
  private static final String DOCKER_LAYER_TAR = "application/vnd.docker.image.rootfs.diff.tar";
  // Not a type of Docker's own spec, but containerd and containers/image write it for zstd layers
  // under a Docker manifest.
  private static final String DOCKER_LAYER_ZSTD =
      "application/vnd.docker.image.rootfs.diff.tar.zstd";

  /** Whether {@code mediaType} is an image manifest (OCI or Docker schema 2). */
  public static boolean isManifest(String mediaType) {
    return IMAGE_MANIFEST.equals(mediaType) || DOCKER_MANIFEST.equals(mediaType);
  }

  /** Whether {@code mediaType} is an index of manifests (OCI index or Docker manifest list). */
  public static boolean isIndex(String mediaType) {
    return IMAGE_INDEX.equals(mediaType) || DOCKER_MANIFEST_LIST.equals(mediaType);
  }

  /**
   * The OCI media type of a layer written under {@code mediaType}: a Docker schema 2 layer is the
   * same bytes as the OCI layer of the same compression; any other type is returned unchanged.
   */
  public static String ociLayer(String mediaType) {
    return switch (mediaType) {
      case DOCKER_LAYER_GZIP -> LAYER_GZIP;
      case DOCKER_LAYER_TAR -> LAYER_TAR;
      case DOCKER_LAYER_ZSTD -> LAYER_ZSTD;
      default -> mediaType;
    };
  }

  /** The OCI media type of layers compressed as {@code compression}. */
  public static String layer(LayerCompression compression) {
    return switch (compression) {
      case GZIP -> LAYER_GZIP;
      case ZSTD -> LAYER_ZSTD;
    };
  }

  private MediaTypes() {}
}
