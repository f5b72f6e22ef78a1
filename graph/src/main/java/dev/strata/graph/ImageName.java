package dev.strata.graph;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An image reference normalised the way docker does: a missing registry becomes {@code docker.io},
 * a one-part name on it gains {@code library/}, and a missing tag becomes {@code latest} (unless a
 * digest pins it). Two references name the same image exactly when their {@link #canonical()} forms
 * are equal.
 */
public record ImageName(String domain, String path, Optional<String> tag, Optional<String> digest) {

  private static final Pattern PATH =
      Pattern.compile(
          "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
  private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
  private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+:[a-fA-F0-9]{32,}");

  /** Parses {@code reference}; empty when it is not a valid image reference. */
  public static Optional<ImageName> parse(String reference) {
    String rest = reference;
    String digest = null;
    int at = rest.indexOf('@');
    if (at >= 0) {
      digest = rest.substring(at + 1);
      rest = rest.substring(0, at);
      if (!DIGEST.matcher(digest).matches()) {
        return Optional.empty();
      }
    }
    String tag = null;
    int colon = rest.lastIndexOf(':');
    if (colon > rest.lastIndexOf('/')) {
      tag = rest.substring(colon + 1);
      rest = rest.substring(0, colon);
      if (!TAG.matcher(tag).matches()) {
        return Optional.empty();
      }
    }
    String domain = "docker.io";
    int slash = rest.indexOf('/');
    if (slash >= 0) {
      String first = rest.substring(0, slash);
      if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
        domain = first.toLowerCase(Locale.ROOT);
        rest = rest.substring(slash + 1);
      }
    }
    if (domain.equals("index.docker.io")) {
      domain = "docker.io";
    }
    if (domain.equals("docker.io") && !rest.contains("/")) {
      rest = "library/" + rest;
    }
    if (!PATH.matcher(rest).matches()) {
      return Optional.empty();
    }
    if (tag == null && digest == null) {
      tag = "latest";
    }
    return Optional.of(
        new ImageName(domain, rest, Optional.ofNullable(tag), Optional.ofNullable(digest)));
  }

  /** {@code domain/path}, without tag or digest. */
  public String repository() {
    return domain + "/" + path;
  }

  /** The same repository with another tag and no digest. */
  public ImageName withTag(String newTag) {
    return new ImageName(domain, path, Optional.of(newTag), Optional.empty());
  }

  /** The fully qualified form: {@code domain/path[:tag][@digest]}. */
  public String canonical() {
    return repository() + tag.map(t -> ":" + t).orElse("") + digest.map(d -> "@" + d).orElse("");
  }

  /**
   * The short form docker prints and BuildKit matches named contexts by: without {@code docker.io/}
   * and {@code library/}, and without a {@code :latest} tag.
   */
  public String familiar() {
    String name = repository();
    if (domain.equals("docker.io")) {
      name = path.startsWith("library/") ? path.substring("library/".length()) : path;
    }
    return name
        + tag.filter(t -> !t.equals("latest")).map(t -> ":" + t).orElse("")
        + digest.map(d -> "@" + d).orElse("");
  }

  @Override
  public String toString() {
    return canonical();
  }
}
