package dev.strata.disk.build;

import dev.strata.bridge.rootfs.RootfsView;
import dev.strata.disk.ext4.FileContent;
import dev.strata.disk.ext4.FileTree;
import dev.strata.disk.ext4.TreeNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The per-disk changes to an image's rootfs (fstab, machine-id, SSH host keys, users), recorded
 * over the flattened rootfs without touching it and applied to the tree the native ext4 writer
 * writes (or, with {@code mkfs.ext4 -d}, written into the filesystem after it with one {@code
 * debugfs -w} run). No staging copy of the rootfs is made. Paths resolve like a chroot: a symlink
 * before the last component is followed inside the rootfs, never on the host; the last component is
 * replaced, not followed. Reads see the recorded changes.
 */
public final class RootfsEdits {
  private static final Pattern SAFE_PATH = Pattern.compile("[^\"\\\\\\n\\r]+");

  private sealed interface Change {}

  private record FileChange(byte[] content, int mode, int uid, int gid) implements Change {}

  private record DirChange(int mode, int uid, int gid) implements Change {}

  private record LinkChange(String target) implements Change {}

  private record Removal() implements Change {}

  private final RootfsView root;
  // image path (resolved, absolute) -> its final state; insertion order kept for readability
  private final Map<String, Change> changes = new LinkedHashMap<>();

  /** Changes over an image's merged rootfs (which is only read). */
  public RootfsEdits(RootfsView root) {
    this.root = root;
  }

  /**
   * The host file the image path {@code imagePath} names in the source rootfs (the last component
   * not followed), with every symlink before the last component resolved inside the image; empty
   * when the image has nothing there.
   */
  public Optional<Path> source(String imagePath) throws IOException {
    return root.lookup(root.resolve(imagePath, false));
  }

  /**
   * The names in the source rootfs's directory {@code imagePath} (not followed if it is a symlink),
   * sorted; empty when it is not a directory.
   */
  public List<String> list(String imagePath) throws IOException {
    String key = root.resolve(imagePath, false);
    return isDirectory(sourceOf(key)) ? root.list(key) : List.of();
  }

  /** The host file of the resolved image path {@code key}, if the source rootfs has one. */
  private Optional<Path> sourceOf(String key) throws IOException {
    return root.lookup(key);
  }

  private static boolean isDirectory(Optional<Path> file) {
    return file.isPresent() && Files.isDirectory(file.get(), LinkOption.NOFOLLOW_LINKS);
  }

  /** The image path {@code imagePath} names once its symlinks are resolved. */
  private String key(String imagePath) throws IOException {
    String key = root.resolve(imagePath, false);
    if (!SAFE_PATH.matcher(key).matches()) {
      throw new DiskBuildException(
          "cannot write " + imagePath + " into the image: its name has a quote or line break");
    }
    return key;
  }

  /** Replaces (or creates) the file at {@code imagePath} with {@code content}, owner and mode. */
  public void write(String imagePath, byte[] content, int mode, int uid, int gid)
      throws IOException {
    String key = key(imagePath);
    parents(key);
    changes.put(key, new FileChange(content.clone(), mode & 07777, uid, gid));
  }

  /** Replaces a file keeping its current owner and mode (0644 root when it did not exist). */
  public void rewrite(String imagePath, byte[] content) throws IOException {
    String key = key(imagePath);
    Change pending = changes.get(key);
    if (pending instanceof FileChange f) {
      write(imagePath, content, f.mode(), f.uid(), f.gid());
      return;
    }
    Optional<Path> found = sourceOf(key);
    if (pending == null
        && found.isPresent()
        && Files.isRegularFile(found.get(), LinkOption.NOFOLLOW_LINKS)) {
      Path source = found.get();
      int mode =
          (Integer) Files.getAttribute(source, "unix:mode", LinkOption.NOFOLLOW_LINKS) & 07777;
      int uid = (Integer) Files.getAttribute(source, "unix:uid", LinkOption.NOFOLLOW_LINKS);
      int gid = (Integer) Files.getAttribute(source, "unix:gid", LinkOption.NOFOLLOW_LINKS);
      write(imagePath, content, mode, uid, gid);
    } else {
      write(imagePath, content, 0644, 0, 0);
    }
  }

  /** The text of a regular file in the image as changed so far, or empty if there is none. */
  public String read(String imagePath) throws IOException {
    String key = key(imagePath);
    Change pending = changes.get(key);
    if (pending != null) {
      return pending instanceof FileChange f ? new String(f.content(), StandardCharsets.UTF_8) : "";
    }
    Optional<Path> p = sourceOf(key);
    return p.isPresent() && Files.isRegularFile(p.get(), LinkOption.NOFOLLOW_LINKS)
        ? Files.readString(p.get())
        : "";
  }

  /** Whether {@code imagePath} names anything in the image as changed so far. */
  public boolean exists(String imagePath) throws IOException {
    String key = key(imagePath);
    Change pending = changes.get(key);
    if (pending != null) {
      return !(pending instanceof Removal);
    }
    return sourceOf(key).isPresent();
  }

  /** Creates a directory (and missing parents, root-owned 0755) with the given owner and mode. */
  public void mkdir(String imagePath, int mode, int uid, int gid) throws IOException {
    String key = key(imagePath);
    parents(key);
    changes.put(key, new DirChange(mode & 07777, uid, gid));
  }

  /** Makes {@code imagePath} a symlink to {@code target} (replacing what was there). */
  public void symlink(String imagePath, String target) throws IOException {
    String key = key(imagePath);
    if (!SAFE_PATH.matcher(target).matches()) {
      throw new DiskBuildException("cannot link " + imagePath + " to " + target);
    }
    parents(key);
    changes.put(key, new LinkChange(target));
  }

  /** Removes the name {@code imagePath} (not what it points to); true if it existed. */
  public boolean delete(String imagePath) throws IOException {
    String key = key(imagePath);
    Optional<Path> source = sourceOf(key);
    if (source.isPresent() && Files.isDirectory(source.get(), LinkOption.NOFOLLOW_LINKS)) {
      throw new DiskBuildException(
          "cannot remove " + imagePath + " from the image: it is a folder");
    }
    Change pending = changes.get(key);
    boolean existed = pending != null ? !(pending instanceof Removal) : source.isPresent();
    if (source.isPresent()) {
      changes.put(key, new Removal());
    } else {
      changes.remove(key);
    }
    return existed;
  }

  /** Records root-owned 0755 directories for every missing parent of {@code key}. */
  private void parents(String key) throws IOException {
    List<String> missing = new ArrayList<>();
    for (Path p = Path.of(key).getParent(); p != null && p.getNameCount() > 0; p = p.getParent()) {
      String dir = p.toString();
      if (changes.containsKey(dir) || isDirectory(sourceOf(dir))) {
        break;
      }
      missing.add(0, dir);
    }
    for (String dir : missing) {
      changes.put(dir, new DirChange(0755, 0, 0));
    }
  }

  /** The folder changes, parents before their children. */
  private List<Map.Entry<String, Change>> directoriesParentsFirst() {
    return changes.entrySet().stream()
        .filter(e -> e.getValue() instanceof DirChange)
        .sorted(Comparator.comparing(e -> Path.of(e.getKey()).getNameCount()))
        .toList();
  }

  /** Whether anything was changed. */
  public boolean isEmpty() {
    return changes.isEmpty();
  }

  /**
   * Applies the changes to {@code tree}, the rootfs read into memory, before it is written: names
   * replaced or removed first, then folders parents first, then files and symlinks, which are new
   * inodes stamped {@code now}, as the {@code debugfs} route makes them.
   */
  public void applyTo(FileTree tree, TreeNode.Time now) throws IOException {
    for (Map.Entry<String, Change> e : changes.entrySet()) {
      if (!(e.getValue() instanceof DirChange)) {
        tree.remove(e.getKey());
      }
    }
    List<Map.Entry<String, Change>> dirs = directoriesParentsFirst();
    for (Map.Entry<String, Change> e : dirs) {
      DirChange d = (DirChange) e.getValue();
      TreeNode existing = tree.lookup(e.getKey());
      if (existing == null) {
        tree.put(e.getKey(), TreeNode.directory(d.mode(), d.uid(), d.gid(), now));
      } else if (existing.kind() == TreeNode.Kind.DIRECTORY) {
        tree.put(e.getKey(), existing.withOwner(d.mode(), d.uid(), d.gid()));
      } else {
        throw new DiskBuildException(
            "cannot make the folder " + e.getKey() + " in the image: something else is there");
      }
    }
    for (Map.Entry<String, Change> e : changes.entrySet()) {
      if (e.getValue() instanceof FileChange f) {
        tree.put(
            e.getKey(),
            TreeNode.file(f.mode(), f.uid(), f.gid(), now, new FileContent.InMemory(f.content())));
      } else if (e.getValue() instanceof LinkChange l) {
        tree.put(e.getKey(), TreeNode.symlink(0, 0, now, l.target()));
      }
    }
  }

  /**
   * Writes the changes into the ext4 filesystem at byte {@code offset} of {@code disk} with one
   * {@code debugfs -w} run; file contents go through files in {@code work}. debugfs exits 0 even
   * when a command fails, so any error line it prints fails the build.
   */
  public void applyTo(Path disk, long offset, Path work) throws IOException {
    if (changes.isEmpty()) {
      return;
    }
    Path dir = Files.createTempDirectory(work, "edits-");
    StringBuilder script = new StringBuilder();
    // 1. names replaced or removed: unlink what the image had there
    for (Map.Entry<String, Change> e : changes.entrySet()) {
      if (!(e.getValue() instanceof DirChange) && sourceOf(e.getKey()).isPresent()) {
        command(script, "rm", e.getKey());
      }
    }
    // 2. directories, parents first
    List<Map.Entry<String, Change>> dirs = directoriesParentsFirst();
    for (Map.Entry<String, Change> e : dirs) {
      DirChange d = (DirChange) e.getValue();
      if (!isDirectory(sourceOf(e.getKey()))) {
        command(script, "mkdir", e.getKey());
      }
      owner(script, e.getKey(), 0040000 | d.mode(), d.uid(), d.gid());
    }
    // 3. files and symlinks
    int n = 0;
    for (Map.Entry<String, Change> e : changes.entrySet()) {
      if (e.getValue() instanceof FileChange f) {
        Path content = dir.resolve("file-" + n++);
        Files.write(content, f.content());
        command(script, "write", content.toString(), e.getKey());
        owner(script, e.getKey(), 0100000 | f.mode(), f.uid(), f.gid());
      } else if (e.getValue() instanceof LinkChange l) {
        command(script, "symlink", e.getKey(), l.target());
      }
    }
    Path commands = dir.resolve("commands");
    Files.writeString(commands, script.toString(), StandardCharsets.UTF_8);
    try {
      HostTool.DEBUGFS.runSilent(
          List.of("-w", "-f", commands.toString(), disk + "?offset=" + offset));
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(dir);
    }
  }

  private static void owner(StringBuilder script, String path, int mode, int uid, int gid) {
    command(script, "sif", path, "mode", "0" + Integer.toOctalString(mode));
    command(script, "sif", path, "uid", Integer.toString(uid));
    command(script, "sif", path, "gid", Integer.toString(gid));
  }

  private static void command(StringBuilder script, String name, String... args) {
    script.append(name);
    for (String a : args) {
      script.append(' ');
      if (!SAFE_PATH.matcher(a).matches()) {
        throw new IllegalArgumentException("unsafe debugfs argument: " + a);
      }
      script.append('"').append(a).append('"');
    }
    script.append('\n');
  }
}
