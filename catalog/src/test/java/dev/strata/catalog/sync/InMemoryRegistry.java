package dev.strata.catalog.sync;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A registry held in memory for sync tests: repositories with tagged images and, per image digest,
 * the files of its flattened file system. The registry layer's real implementation is exercised
 * against a running registry where it is written.
 */
final class InMemoryRegistry implements RegistryImageSource {
  private final Map<String, Map<String, RemoteImage>> repositories = new LinkedHashMap<>();
  private final Map<String, Map<String, byte[]>> files = new HashMap<>();
  final List<String> fileReads = new ArrayList<>();

  void push(String repository, String tag, RemoteImage image, Map<String, byte[]> imageFiles) {
    repositories.computeIfAbsent(repository, k -> new LinkedHashMap<>()).put(tag, image);
    files.merge(image.digest(), imageFiles, (old, now) -> now.isEmpty() ? old : now);
  }

  @Override
  public List<String> repositories(String prefix) {
    return List.copyOf(repositories.keySet());
  }

  @Override
  public List<String> tags(String repository) throws IOException {
    Map<String, RemoteImage> tags = repositories.get(repository);
    if (tags == null) {
      throw new IOException("repository " + repository + " not found");
    }
    return List.copyOf(tags.keySet());
  }

  @Override
  public RemoteImage image(String repository, String tag) throws IOException {
    RemoteImage image = repositories.getOrDefault(repository, Map.of()).get(tag);
    if (image == null) {
      throw new IOException("manifest unknown: " + repository + ":" + tag);
    }
    return image;
  }

  @Override
  public Optional<byte[]> file(RemoteImage image, String path) {
    fileReads.add(image.digest() + " " + path);
    return Optional.ofNullable(files.getOrDefault(image.digest(), Map.of()).get(path));
  }
}
