package dev.strata.cli;

import dev.strata.bridge.oci.ContentBlob;
import dev.strata.bridge.oci.Descriptor;
import dev.strata.bridge.oci.Digest;
import dev.strata.bridge.oci.ImageIndex;
import dev.strata.bridge.oci.ImageManifest;
import dev.strata.bridge.oci.MediaTypes;
import dev.strata.bridge.oci.Platform;
import dev.strata.bridge.registry.Registry;
import dev.strata.bridge.tar.LayerFiles;
import dev.strata.catalog.sync.RegistryImageSource;
import dev.strata.catalog.sync.RemoteImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@link RegistryImageSource} over one registry host, for {@code strata catalog sync}: its catalog
 * and tag lists, manifests (an index resolved to linux/amd64) and config blobs, and files read from
 * an image's layers, which are downloaded once each into a scratch folder (deleted on close) and
 * never into the store. Repositories are named as on the host ({@code corp/base}); images as {@code
 * host/corp/base}, as a build that pushed them names them.
 */
final class RegistryImages implements RegistryImageSource, AutoCloseable {
  private final Registry registry;
  private final Path scratch;
  private final Map<Digest, Path> downloaded = new HashMap<>();

  RegistryImages(Registry registry) throws IOException {
    this.registry = registry;
    this.scratch = Files.createTempDirectory("strata-sync-");
  }

  @Override
  public List<String> repositories(String prefix) throws IOException {
    return registry.repositories().stream()
        .filter(r -> prefix.isEmpty() || r.equals(prefix) || r.startsWith(prefix + "/"))
        .toList();
  }

  @Override
  public List<String> tags(String repository) throws IOException {
    return registry.tags(repository);
  }

  @Override
  public RemoteImage image(String repository, String tag) throws IOException {
    ContentBlob top =
        registry
            .manifest(repository, tag)
            .orElseThrow(() -> new IOException("the tag is listed but has no manifest"));
    ContentBlob manifestBlob = top;
    if (MediaTypes.isIndex(top.mediaType())) {
      Descriptor chosen =
          ImageIndex.parse(top.bytes()).manifests().stream()
              .filter(m -> Platform.LINUX_AMD64.equals(m.platform()))
              .findFirst()
              .orElseThrow(() -> new IOException("the index has no linux/amd64 image"));
      manifestBlob =
          registry
              .manifest(repository, chosen.digest().toString())
              .orElseThrow(() -> new IOException("the index names a missing " + chosen.digest()));
    }
    if (!MediaTypes.isManifest(manifestBlob.mediaType())) {
      throw new IOException("not an image manifest: " + manifestBlob.mediaType());
    }
    ImageManifest manifest = ImageManifest.parse(manifestBlob.bytes());
    ByteArrayOutputStream config = new ByteArrayOutputStream();
    registry.pullBlob(repository, manifest.config().digest(), config);
    long size = manifestBlob.bytes().length + manifest.config().size();
    List<RemoteImage.RemoteLayer> layers = new ArrayList<>();
    for (Descriptor layer : manifest.layers()) {
      layers.add(new RemoteImage.RemoteLayer(layer.digest().toString(), layer.size()));
      size += layer.size();
    }
    return new RemoteImage(
        registry.host() + "/" + repository,
        manifestBlob.digest().toString(),
        size,
        config.toString(StandardCharsets.UTF_8),
        layers);
  }

  @Override
  public Optional<byte[]> file(RemoteImage image, String path) throws IOException {
    String repository = image.repository().substring(registry.host().length() + 1);
    List<InputStream> layers = new ArrayList<>();
    for (RemoteImage.RemoteLayer layer : image.layers()) {
      layers.add(Files.newInputStream(download(repository, Digest.parse(layer.digest()))));
    }
    return LayerFiles.scan(layers, path::equals).read(path);
  }

  private Path download(String repository, Digest digest) throws IOException {
    Path existing = downloaded.get(digest);
    if (existing != null) {
      return existing;
    }
    Path file = scratch.resolve(digest.hex());
    try (OutputStream out = Files.newOutputStream(file)) {
      registry.pullBlob(repository, digest, out);
    }
    downloaded.put(digest, file);
    return file;
  }

  @Override
  public void close() throws IOException {
    DiskCommand.deleteTree(scratch);
  }
}
