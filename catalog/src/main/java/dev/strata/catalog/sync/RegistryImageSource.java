package dev.strata.catalog.sync;

import java.io.IOException;
import java.util.List;
import java.util.Optional;

/**
 * What {@code strata catalog sync} needs from a registry: its repositories and tags, an image's
 * manifest and config, and a file from the image's flattened layers (for the package database). The
 * registry layer implements it; the catalog never talks to a registry itself.
 */
public interface RegistryImageSource {

  /** The repositories under {@code prefix} ({@code ""} for all): the registry's catalog API. */
  List<String> repositories(String prefix) throws IOException;

  /** The tags of {@code repository}. */
  List<String> tags(String repository) throws IOException;

  /** The image {@code repository:tag} (for a multi-platform index, the host's platform). */
  RemoteImage image(String repository, String tag) throws IOException;

  /**
   * The content of the file at {@code path} (relative, e.g. {@code var/lib/dpkg/status}) in the
   * image's layers applied in order (whiteouts honoured), or empty when it is absent.
   */
  Optional<byte[]> file(RemoteImage image, String path) throws IOException;
}
