package dev.strata.bridge.registry;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * Opens {@link Registry} connections with one policy: which hosts are insecure (plain HTTP or
 * unverified TLS allowed; nothing else is, {@code localhost} included), where credentials come
 * from, and how failures are retried.
 */
public final class RegistryConnector {
  private final Set<String> insecureRegistries;
  private final CredentialFiles credentials;
  private final RetryPolicy retry;

  /**
   * @param insecureRegistries {@code HOST[:PORT]} entries the user marked insecure; an entry
   *     without a port covers every port of that host
   */
  public RegistryConnector(
      Set<String> insecureRegistries, CredentialFiles credentials, RetryPolicy retry) {
    TreeSet<String> normalized = new TreeSet<>();
    for (String entry : insecureRegistries) {
      normalized.add(normalize(entry));
    }
    this.insecureRegistries = Set.copyOf(normalized);
    this.credentials = credentials;
    this.retry = retry;
  }

  /** Credentials from this process's environment, default retries. */
  public static RegistryConnector fromEnvironment(Set<String> insecureRegistries) {
    return new RegistryConnector(
        insecureRegistries, CredentialFiles.fromEnvironment(System.getenv()), RetryPolicy.DEFAULT);
  }

  /** The same policy with other credentials (e.g. one file, for tests or a CI secret). */
  public RegistryConnector withCredentials(CredentialFiles other) {
    return new RegistryConnector(insecureRegistries, other, retry);
  }

  /** The same policy with another retry policy. */
  public RegistryConnector withRetry(RetryPolicy other) {
    return new RegistryConnector(insecureRegistries, credentials, other);
  }

  RetryPolicy retryPolicy() {
    return retry;
  }

  /** Whether {@code host} ({@code HOST[:PORT]}) was marked insecure. */
  public boolean isInsecure(String host) {
    String normalized = normalize(host);
    if (insecureRegistries.contains(normalized)) {
      return true;
    }
    int colon = normalized.lastIndexOf(':');
    return colon > 0
        && !normalized.endsWith("]")
        && insecureRegistries.contains(normalized.substring(0, colon));
  }

  /** A connection to {@code host} (e.g. {@code localhost:5000}); credentials are looked up now. */
  public Registry connect(String host) throws RegistryAccessException {
    String normalized = normalize(host);
    return new JibRegistry(
        normalized,
        isInsecure(normalized),
        credentials.lookup(normalized),
        credentials.searchOrder().stream().map(Object::toString).toList(),
        retry);
  }

  private static String normalize(String host) {
    String h = host.trim().toLowerCase(Locale.ROOT);
    if (h.startsWith("https://")) {
      h = h.substring("https://".length());
    } else if (h.startsWith("http://")) {
      h = h.substring("http://".length());
    }
    while (h.endsWith("/")) {
      h = h.substring(0, h.length() - 1);
    }
    if (h.isEmpty() || h.contains("/")) {
      throw new IllegalArgumentException(
          "not a registry HOST[:PORT]: '" + host + "' (e.g. localhost:5000 or registry.corp)");
    }
    return h.equals("index.docker.io") ? "docker.io" : h;
  }
}
