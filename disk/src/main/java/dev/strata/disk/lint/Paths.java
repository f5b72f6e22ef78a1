package dev.strata.disk.lint;

import java.util.ArrayList;
import java.util.List;

/** Keeps long path lists in findings readable: the first few, then a count of the rest. */
final class Paths {
  static final int SHOWN = 10;

  private Paths() {}

  static List<String> sample(String prefix, List<String> names) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < names.size() && i < SHOWN; i++) {
      out.add(prefix + names.get(i));
    }
    if (names.size() > SHOWN) {
      out.add("… " + (names.size() - SHOWN) + " more");
    }
    return out;
  }
}
