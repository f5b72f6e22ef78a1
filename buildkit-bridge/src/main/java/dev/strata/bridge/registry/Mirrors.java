package dev.strata.bridge.registry;

import dev.strata.graph.ImageName;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Pull mirrors from strata.yaml's {@code mirrors:} ({@code docker.io: localhost:5000/mirror}): an
 * image on a mirrored registry is looked for under the mirror's prefix first ({@code
 * docker.io/library/debian:bookworm} → {@code localhost:5000/mirror/library/debian:bookworm}), then
 * at its origin. Pushes never go to mirrors.
 */
public final class Mirrors {
  /** No mirrors. */
  public static final Mirrors NONE = new Mirrors(Map.of());

  private final Map<String, String> byRegistry;

  /** From strata.yaml's map of registry to {@code HOST[:PORT][/PREFIX]}. */
  public Mirrors(Map<String, String> mirrors) {
    Map<String, String> normalized = new TreeMap<>();
    mirrors.forEach(
        (registry, mirror) -> {
          String key = registry.trim().toLowerCase(Locale.ROOT);
          normalized.put(key.equals("index.docker.io") ? "docker.io" : key, stripSlashes(mirror));
        });
    this.byRegistry = Map.copyOf(normalized);
  }

  /** Where to look for {@code image}, in order: its mirror (if any), then the image itself. */
  public List<ImageName> candidates(ImageName image) {
    List<ImageName> result = new ArrayList<>();
    mirrorOf(image).ifPresent(result::add);
    result.add(image);
    return result;
  }

  private Optional<ImageName> mirrorOf(ImageName image) {
    String mirror = byRegistry.get(image.domain());
    if (mirror == null) {
      return Optional.empty();
    }
    int slash = mirror.indexOf('/');
    String host = slash < 0 ? mirror : mirror.substring(0, slash);
    String prefix = slash < 0 ? "" : mirror.substring(slash + 1) + "/";
    return Optional.of(
        new ImageName(
            host.toLowerCase(Locale.ROOT), prefix + image.path(), image.tag(), image.digest()));
  }

  private static String stripSlashes(String text) {
    String t = text.trim();
    while (t.endsWith("/")) {
      t = t.substring(0, t.length() - 1);
    }
    return t;
  }
}
