package dev.strata.bridge.build.copy;

import dev.strata.bridge.tar.EntryType;
import dev.strata.bridge.tar.LayerWriter;
import dev.strata.bridge.tar.StagedEntry;
import dev.strata.bridge.tar.TarEntry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The entries of one COPY/ADD layer while they are gathered: later writes to a path replace earlier
 * ones (as a second source overwrites the first), and files that share an inode are written once
 * with the others as hardlinks to whichever path sorts first.
 */
final class LayerDraft {
  private record Draft(TarEntry entry, Path file, byte[] bytes, Object inode) {}

  private final TreeMap<String, Draft> entries = new TreeMap<>(LayerWriter.pathOrder());

  boolean has(String path) {
    return entries.containsKey(path);
  }

  TarEntry get(String path) {
    Draft d = entries.get(path);
    return d == null ? null : d.entry;
  }

  /** Adds an entry; {@code inode} (null for none) groups hardlinked files. */
  void put(TarEntry entry, Path file, byte[] bytes, Object inode) {
    entries.put(entry.path(), new Draft(entry, file, bytes, inode));
  }

  boolean isEmpty() {
    return entries.isEmpty();
  }

  /** The layer's entries, hardlinks resolved. */
  List<StagedEntry> finish() {
    Map<Object, String> firstOfInode = new HashMap<>();
    List<StagedEntry> out = new ArrayList<>();
    for (Draft d : entries.values()) {
      TarEntry e = d.entry;
      if (d.inode != null) {
        String first = firstOfInode.putIfAbsent(d.inode, e.path());
        if (first != null) {
          out.add(
              StagedEntry.of(
                  new TarEntry(
                      e.path(),
                      EntryType.HARDLINK,
                      e.mode(),
                      e.uid(),
                      e.gid(),
                      e.mtime(),
                      0,
                      first,
                      0,
                      0,
                      new TreeMap<>())));
          continue;
        }
      }
      out.add(
          d.bytes != null
              ? StagedEntry.fromBytes(e, d.bytes)
              : d.file != null ? StagedEntry.fromFile(e, d.file) : StagedEntry.of(e));
    }
    return out;
  }

  /** An inode identity for hardlink grouping. */
  record Inode(Object scope, String inode) {
    Inode {
      Objects.requireNonNull(scope);
      Objects.requireNonNull(inode);
    }
  }
}
