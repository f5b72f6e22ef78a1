package dev.strata.bridge.oci;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * A content digest such as {@code sha256:<64 hex>}; only sha256 is accepted because it is the only
 * algorithm every OCI registry and tool supports.
 */
public record Digest(String algorithm, String hex) implements Comparable<Digest> {
  private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-f]{64}");

  public Digest {
    if (!"sha256".equals(algorithm)) {
      throw new IllegalArgumentException("unsupported digest algorithm '" + algorithm + "'");
    }
    if (hex == null || !SHA256_HEX.matcher(hex).matches()) {
      throw new IllegalArgumentException("not a sha256 hex digest: '" + hex + "'");
    }
  }

  /** Parses {@code sha256:<hex>}. */
  public static Digest parse(String text) {
    int colon = text.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("digest without algorithm: '" + text + "'");
    }
    return new Digest(text.substring(0, colon), text.substring(colon + 1));
  }

  /** The sha256 digest of {@code bytes}. */
  public static Digest sha256(byte[] bytes) {
    return fromHash(newSha256().digest(bytes));
  }

  /** The sha256 digest of the UTF-8 bytes of {@code text}. */
  public static Digest sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  /** Wraps a finished 32-byte sha256 hash. */
  public static Digest fromHash(byte[] hash) {
    return new Digest("sha256", HexFormat.of().formatHex(hash));
  }

  /** A fresh SHA-256 {@link MessageDigest}; every JRE must provide one. */
  public static MessageDigest newSha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JRE has no SHA-256", e);
    }
  }

  @Override
  public int compareTo(Digest other) {
    return toString().compareTo(other.toString());
  }

  @Override
  public String toString() {
    return algorithm + ":" + hex;
  }
}
