package dev.strata.disk.fat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The folders and files to write into a FAT32 filesystem, addressed by {@code /}-separated paths
 * from its root. A file's bytes come from a host file (its size is taken now, its bytes read once
 * when the filesystem is written) or are given. Names are checked as they are added: FAT holds long
 * names of up to 255 UTF-16 code units without {@code "*:<>?\|}, control characters or a trailing
 * dot or space, and one folder cannot hold two names that differ only in case.
 */
public final class FatTree {
  /** A FAT file's size is 32 bits. */
  static final long MAX_FILE = 0xFFFFFFFFL;

  private final FatNode.Folder root = new FatNode.Folder();

  FatNode.Folder root() {
    return root;
  }

  /** Adds the folder {@code path} and any missing parents. */
  public void directory(String path) throws FatException {
    folder(path, components(path));
  }

  /** Adds the file {@code path} with the bytes of the host file {@code source}. */
  public void file(String path, Path source) throws IOException {
    if (!Files.isRegularFile(source)) {
      throw new FatException(
          "cannot put " + source + " at " + path + " on the FAT filesystem: not a regular file");
    }
    long size = Files.size(source);
    if (size > MAX_FILE) {
      throw new FatException(
          "cannot put "
              + source
              + " at "
              + path
              + " on the FAT filesystem: it is "
              + size
              + " bytes; a FAT file holds at most 4 GiB - 1");
    }
    add(path, new FatNode.HostFile(source, size));
  }

  /** Adds the file {@code path} holding {@code content}. */
  public void file(String path, byte[] content) throws FatException {
    add(path, new FatNode.Bytes(content.clone()));
  }

  private void add(String path, FatNode file) throws FatException {
    List<String> parts = components(path);
    if (parts.isEmpty()) {
      throw new FatException("a file needs a name; got the path '" + path + "'");
    }
    FatNode.Folder parent = folder(path, parts.subList(0, parts.size() - 1));
    String name = parts.get(parts.size() - 1);
    FatNode.Named there = parent.get(name);
    if (there != null) {
      throw clash(path, there.name());
    }
    parent.put(name, file);
  }

  private FatNode.Folder folder(String path, List<String> parts) throws FatException {
    FatNode.Folder folder = root;
    for (String part : parts) {
      FatNode.Named there = folder.get(part);
      if (there == null) {
        FatNode.Folder created = new FatNode.Folder();
        folder.put(part, created);
        folder = created;
      } else if (there.node() instanceof FatNode.Folder f && there.name().equals(part)) {
        folder = f;
      } else {
        throw clash(path, there.name());
      }
    }
    return folder;
  }

  private static FatException clash(String path, String existing) {
    return new FatException(
        "cannot add "
            + path
            + ": its folder already holds '"
            + existing
            + "' (FAT names do not differ by case, and a name is a file or a folder)");
  }

  private static List<String> components(String path) throws FatException {
    List<String> parts = new ArrayList<>();
    for (String part : path.split("/", -1)) {
      if (!part.isEmpty()) {
        LongName.check(part, path);
        parts.add(part);
      }
    }
    return parts;
  }
}
