package dev.strata.bridge.registry;

import java.util.Objects;

/**
 * A username and secret for one registry, and the file it came from (for messages). {@link
 * #toString()} never shows the secret.
 */
public record RegistryCredential(String username, String secret, String source) {
  public RegistryCredential {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(secret, "secret");
    Objects.requireNonNull(source, "source");
  }

  @Override
  public String toString() {
    return "RegistryCredential[username="
        + username
        + ", secret=<redacted>, source="
        + source
        + "]";
  }
}
