package dev.strata.disk.fat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** A folder or file of a {@link FatTree}, under the long name it is written with. */
sealed interface FatNode {
  /** A folder; its entries keep the order they were added in. */
  final class Folder implements FatNode {
    /** Keyed by the name upper-cased: FAT compares names without case. */
    private final Map<String, Named> entries = new LinkedHashMap<>();

    Named get(String name) {
      return entries.get(key(name));
    }

    void put(String name, FatNode node) {
      entries.put(key(name), new Named(name, node));
    }

    List<Named> entries() {
      return new ArrayList<>(entries.values());
    }

    static String key(String name) {
      return name.toUpperCase(Locale.ROOT);
    }
  }

  /** A file whose bytes are read from a host file when the filesystem is written. */
  record HostFile(Path path, long size) implements FatNode {}

  /** A file whose bytes are given. */
  record Bytes(byte[] data) implements FatNode {}

  /** An entry of a folder: its long name and what it is. */
  record Named(String name, FatNode node) {}
}
