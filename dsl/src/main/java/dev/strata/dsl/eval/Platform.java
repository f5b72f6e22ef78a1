package dev.strata.dsl.eval;

import java.util.Locale;

/**
 * An OCI platform {@code os/architecture[/variant]} as written in {@code --platform} and the
 * automatic platform ARGs.
 */
public record Platform(String os, String architecture, String variant) {

  /** linux/amd64, BuildKit's usual default. */
  public static final Platform LINUX_AMD64 = new Platform("linux", "amd64", "");

  /** Parses {@code os/arch[/variant]}; throws {@link IllegalArgumentException} when malformed. */
  public static Platform parse(String text) {
    String[] parts = text.toLowerCase(Locale.ROOT).split("/", -1);
    for (String part : parts) {
      if (!part.matches("[a-z0-9_.-]+")) {
        throw new IllegalArgumentException(
            "\"" + text + "\": unknown operating system or architecture: invalid argument");
      }
    }
    return switch (parts.length) {
      case 2 -> new Platform(parts[0], parts[1], "");
      case 3 -> new Platform(parts[0], parts[1], parts[2]);
      default ->
          throw new IllegalArgumentException(
              "\"" + text + "\": unknown operating system or architecture: invalid argument");
    };
  }

  @Override
  public String toString() {
    return os + "/" + architecture + (variant.isEmpty() ? "" : "/" + variant);
  }
}
