package dev.strata.catalog;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The N-th recorded build of a node, written {@code NODE@N} (numbered from 1 per node). */
public record BuildId(String node, int number) {
  private static final Pattern FORM = Pattern.compile("(.+)@([0-9]+)");

  public BuildId {
    if (node == null || node.isBlank()) {
      throw new IllegalArgumentException("a build id needs a node name");
    }
    if (number < 1) {
      throw new IllegalArgumentException("build numbers start at 1, got " + number);
    }
  }

  /** Parses {@code NODE@N}; empty for anything else (an image reference with a digest too). */
  public static Optional<BuildId> parse(String text) {
    Matcher m = FORM.matcher(text);
    if (!m.matches() || m.group(2).length() > 9) {
      return Optional.empty();
    }
    int number = Integer.parseInt(m.group(2));
    return number < 1 ? Optional.empty() : Optional.of(new BuildId(m.group(1), number));
  }

  @Override
  public String toString() {
    return node + "@" + number;
  }
}
