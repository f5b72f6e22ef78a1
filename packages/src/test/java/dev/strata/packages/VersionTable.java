package dev.strata.packages;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;

/** A table of version pairs and their expected order, read from a test resource. */
record VersionTable(String a, String b, int order) {

  static List<VersionTable> read(String resource) throws IOException {
    try (BufferedReader in =
        new BufferedReader(
            new InputStreamReader(
                VersionTable.class.getResourceAsStream(resource), StandardCharsets.UTF_8))) {
      return in.lines()
          .filter(l -> !l.isBlank() && !l.startsWith("#"))
          .map(l -> l.split("\t"))
          .map(f -> new VersionTable(f[0], f[1], Integer.parseInt(f[2])))
          .toList();
    }
  }

  @Override
  public String toString() {
    return a + " vs " + b + " = " + order;
  }
}
