package dev.strata.disk.ext4;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads an ext4 filesystem inside a disk file back with e2fsprogs' own tools, never mounting. */
final class Debugfs {
  private final String image;

  Debugfs(Path disk, long offset) {
    this.image = disk + "?offset=" + offset;
  }

  /** What {@code debugfs stat} reports of one inode. */
  record Stat(
      String type,
      int mode,
      long uid,
      long gid,
      int links,
      long size,
      String device,
      String mtime,
      String raw) {}

  private static final Pattern HEAD = Pattern.compile("Type: (.+?)\\s+Mode:\\s+(\\d+)\\s+Flags");
  private static final Pattern OWNER = Pattern.compile("User:\\s+(\\d+)\\s+Group:\\s+(\\d+)");
  private static final Pattern LINKS = Pattern.compile("Links: (\\d+)");
  private static final Pattern SIZE = Pattern.compile("Size: (\\d+)\\n");
  private static final Pattern DEVICE = Pattern.compile("Device major/minor number: (\\S+)");
  private static final Pattern MTIME = Pattern.compile(" mtime: (0x[0-9a-f]+:[0-9a-f]+)");

  Stat stat(String path) throws Exception {
    String out = run("debugfs", "-R", "stat \"" + path + "\"", image);
    Matcher h = HEAD.matcher(out);
    assertThat(h.find()).as("debugfs stat %s: %s", path, out).isTrue();
    Matcher o = OWNER.matcher(out);
    o.find();
    Matcher l = LINKS.matcher(out);
    l.find();
    Matcher s = SIZE.matcher(out);
    s.find();
    Matcher d = DEVICE.matcher(out);
    Matcher m = MTIME.matcher(out);
    m.find();
    return new Stat(
        h.group(1),
        Integer.parseInt(h.group(2), 8),
        Long.parseLong(o.group(1)),
        Long.parseLong(o.group(2)),
        Integer.parseInt(l.group(1)),
        Long.parseLong(s.group(1)),
        d.find() ? d.group(1) : null,
        m.group(1),
        out);
  }

  /** The raw value of one extended attribute, or null when the inode has none of that name. */
  byte[] xattr(String path, String name, Path scratch) throws Exception {
    Path out = Files.createTempFile(scratch, "xattr", "");
    Files.delete(out);
    run("debugfs", "-R", "ea_get -f " + out + " \"" + path + "\" " + name, image);
    return Files.exists(out) ? Files.readAllBytes(out) : null;
  }

  /** Copies the whole tree out with {@code rdump} (files, folders, symlinks; owners and modes). */
  void rdump(Path into) throws Exception {
    Files.createDirectories(into);
    run("debugfs", "-R", "rdump / " + into, image);
  }

  /** Names in one folder, without {@code .} and {@code ..}. */
  List<String> list(String path) throws Exception {
    String out = run("debugfs", "-R", "ls -p \"" + path + "\"", image);
    List<String> names = new ArrayList<>();
    for (String line : out.split("\n")) {
      String[] f = line.split("/");
      if (f.length >= 6 && !f[5].equals(".") && !f[5].equals("..")) {
        names.add(f[5]);
      }
    }
    return names;
  }

  /** {@code e2fsck -fn}'s exit code and output. */
  String fsck() throws Exception {
    return run("e2fsck", "-fn", image);
  }

  static String run(String... argv) throws IOException, InterruptedException {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor()).as("%s: %s", String.join(" ", argv), out).isZero();
    return out;
  }
}
