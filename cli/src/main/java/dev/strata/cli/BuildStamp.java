package dev.strata.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The up-to-date check of {@code strata build}, as make and ninja do it: after a build that
 * succeeded, a stamp records what every input looked like (an {@code lstat} of strata.yaml,
 * strata.lock, each Containerfile and every entry of each build context) and what the build left
 * (the store's {@code index.json}, each node's reference and digest). The same command, from the
 * same folder, with the same environment and the same strata jar, whose inputs and store still stat
 * the same, has nothing to do: it prints the recorded results and exits without loading the
 * project, the graph or the store (a no-op build of examples/soe: ~75 ms instead of ~0.3 s).
 *
 * <p>Why a stat is enough: an edit changes a file's ctime (which no tool can set back) and its
 * mtime, a replacement changes its inode, and an added, removed or renamed entry changes its
 * folder's mtime and ctime; a chmod or chown changes the ctime. Edits inside the stat clock's
 * granularity are the one blind spot (git's "racy" files), so a stamp is written only when every
 * input is at least {@link #SETTLED_MILLIS} older than the moment the build started, and only when
 * the inputs stat the same after the build as before it. A stamp can only say "nothing changed";
 * anything it cannot vouch for (a missing or foreign stamp, one input that differs, a build with
 * remote inputs, pushing, signing or JSON output) runs the build as before, which decides from its
 * cache keys. The stamp is keyed by a hash of the working folder, the arguments and the
 * environment, so it never holds a secret; {@code STRATA_UP_TO_DATE=0} turns the check off.
 */
final class BuildStamp {
  /** How much older than the build's start every input must be for its stat to be trusted. */
  static final long SETTLED_MILLIS = 2_000;

  private static final String MAGIC = "strata-build-stamp 1";
  private static final int KEEP = 200;

  /** Variables that change between shells without changing what a build does. */
  private static final List<String> VOLATILE_ENV = List.of("_", "OLDPWD", "PWD", "SHLVL");

  private final Path file;

  private BuildStamp(Path file) {
    this.file = file;
  }

  /**
   * The stamp of {@code strata ARGS} run from {@code cwd} with {@code env}: under
   * $XDG_CACHE_HOME/strata/up-to-date (or ~/.cache/strata/up-to-date, or the folder the {@code
   * strata.up-to-date} system property names); empty when the check is off or there is no home.
   */
  static Optional<BuildStamp> of(List<String> args, Path cwd, Map<String, String> env) {
    if ("0".equals(env.get("STRATA_UP_TO_DATE"))) {
      return Optional.empty();
    }
    if (args.stream().anyMatch(a -> a.startsWith("@"))) {
      return Optional.empty(); // picocli reads arguments from an @file, whose content is not keyed
    }
    Optional<Path> dir = folder(env);
    if (dir.isEmpty()) {
      return Optional.empty();
    }
    KeyHash key = new KeyHash();
    key.add(MAGIC);
    key.add(cwd.toAbsolutePath().normalize().toString());
    key.add(String.valueOf(args.size()));
    args.forEach(key::add);
    new TreeMap<>(env)
        .forEach(
            (k, v) -> {
              if (!VOLATILE_ENV.contains(k)) {
                key.add(k);
                key.add(v);
              }
            });
    return Optional.of(new BuildStamp(dir.get().resolve(key.hex() + ".stamp")));
  }

  private static Optional<Path> folder(Map<String, String> env) {
    String property = System.getProperty("strata.up-to-date");
    if (property != null) {
      return Optional.of(Path.of(property));
    }
    String cache = env.get("XDG_CACHE_HOME");
    if (cache != null && cache.startsWith("/")) {
      return Optional.of(Path.of(cache, "strata", "up-to-date"));
    }
    String home = env.get("HOME");
    if (home != null && home.startsWith("/")) {
      return Optional.of(Path.of(home, ".cache", "strata", "up-to-date"));
    }
    return Optional.empty();
  }

  /** What one node of a stamped build left in the store. */
  record NodeState(String node, String references, String digest, int steps, int lintFindings) {}

  /** The inputs of a build as it starts: every path's stat, taken before the build reads it. */
  record Inputs(long takenAtMillis, List<Entry> entries) {
    /**
     * Stats {@code files} (absent ones recorded as absent) and every entry under {@code trees}; a
     * file or tree given as a symlink is recorded as the link and as what it points to.
     */
    static Inputs take(Collection<Path> files, Collection<Path> trees) throws IOException {
      long now = System.currentTimeMillis();
      TreeMap<String, Entry> entries = new TreeMap<>();
      for (Path f : files) {
        for (Path p : andTarget(f)) {
          Entry e = Entry.of(p);
          entries.put(e.path(), e);
        }
      }
      for (Path tree : trees) {
        for (Path root : andTarget(tree)) {
          if (!Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            Entry e = Entry.of(root);
            entries.put(e.path(), e);
            continue;
          }
          try (var walk = Files.walk(root)) { // never follows links
            for (Path p : (Iterable<Path>) walk::iterator) {
              Entry e = Entry.of(p);
              entries.put(e.path(), e);
            }
          }
        }
      }
      return new Inputs(now, List.copyOf(entries.values()));
    }

    /** {@code path}, absolute, and where it leads when it is a symlink that resolves. */
    private static List<Path> andTarget(Path path) throws IOException {
      Path absolute = path.toAbsolutePath().normalize();
      if (!Files.isSymbolicLink(absolute)) {
        return List.of(absolute);
      }
      try {
        return List.of(absolute, absolute.toRealPath());
      } catch (NoSuchFileException e) {
        return List.of(absolute); // a dangling link: the build fails on it, and writes no stamp
      }
    }

    /** Whether every input was last changed at least {@link #SETTLED_MILLIS} before the start. */
    boolean settled() {
      long limit = TimeUnit.MILLISECONDS.toNanos(takenAtMillis - SETTLED_MILLIS);
      return entries.stream().allMatch(e -> e.mtimeNanos() < limit && e.ctimeNanos() < limit);
    }

    /** Whether every input still stats as recorded. */
    boolean unchanged() throws IOException {
      for (Entry e : entries) {
        if (!Entry.of(Path.of(e.path())).line().equals(e.line())) {
          return false;
        }
      }
      return true;
    }
  }

  /** One path's {@code lstat}: kind, device, inode, mode, owner, size, mtime and ctime. */
  record Entry(
      String path,
      String kind,
      long device,
      long inode,
      int mode,
      int uid,
      int gid,
      long size,
      long mtimeNanos,
      long ctimeNanos) {
    static Entry of(Path path) throws IOException {
      Map<String, Object> a;
      try {
        a =
            Files.readAttributes(
                path,
                "unix:dev,ino,mode,uid,gid,size,lastModifiedTime,ctime,isDirectory,isSymbolicLink",
                LinkOption.NOFOLLOW_LINKS);
      } catch (NoSuchFileException e) {
        return new Entry(path.toString(), "absent", 0, 0, 0, 0, 0, 0, 0, 0);
      }
      String kind =
          (Boolean) a.get("isDirectory") ? "dir" : (Boolean) a.get("isSymbolicLink") ? "link" : "f";
      return new Entry(
          path.toString(),
          kind,
          (Long) a.get("dev"),
          (Long) a.get("ino"),
          (Integer) a.get("mode"),
          (Integer) a.get("uid"),
          (Integer) a.get("gid"),
          (Long) a.get("size"),
          ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.NANOSECONDS),
          ((FileTime) a.get("ctime")).to(TimeUnit.NANOSECONDS));
    }

    String line() {
      return String.join(
          " ",
          "path",
          kind,
          Long.toString(device),
          Long.toString(inode),
          Integer.toString(mode),
          Integer.toString(uid),
          Integer.toString(gid),
          Long.toString(size),
          Long.toString(mtimeNanos),
          Long.toString(ctimeNanos),
          path);
    }

    static Entry parse(String line) {
      String[] f = line.split(" ", 11);
      if (f.length != 11 || !f[0].equals("path")) {
        throw new IllegalArgumentException("not an entry: " + line);
      }
      return new Entry(
          f[10],
          f[1],
          Long.parseLong(f[2]),
          Long.parseLong(f[3]),
          Integer.parseInt(f[4]),
          Integer.parseInt(f[5]),
          Integer.parseInt(f[6]),
          Long.parseLong(f[7]),
          Long.parseLong(f[8]),
          Long.parseLong(f[9]));
    }
  }

  /**
   * Records a finished, successful build: its {@code inputs} (taken as it started), the store's
   * {@code index.json} and code as they are now, and its nodes. Writes nothing (and removes an
   * older stamp) when the inputs were not settled or changed during the build; returns whether it
   * wrote.
   */
  boolean write(Inputs inputs, Path storeIndex, List<NodeState> nodes) throws IOException {
    Files.deleteIfExists(file);
    if (!inputs.settled()
        || !inputs.unchanged()
        || nodes.stream().anyMatch(n -> hasSpace(n.node()) || n.references().contains("\n"))
        || inputs.entries().stream().anyMatch(e -> e.path().contains("\n"))) {
      return false;
    }
    StringBuilder text = new StringBuilder(MAGIC).append('\n');
    text.append(code().line()).append('\n');
    text.append("store ").append(Entry.of(storeIndex.toAbsolutePath()).line()).append('\n');
    for (Entry e : inputs.entries()) {
      text.append(e.line()).append('\n');
    }
    for (NodeState n : nodes) {
      text.append(
          String.join(
              " ",
              "node",
              n.node(),
              n.digest(),
              Integer.toString(n.steps()),
              Integer.toString(n.lintFindings()),
              n.references()));
      text.append('\n');
    }
    Files.createDirectories(file.getParent());
    Path tmp = Files.createTempFile(file.getParent(), ".stamp-", ".tmp");
    try {
      Files.writeString(tmp, text, StandardCharsets.UTF_8);
      try {
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
    prune(file.getParent());
    return true;
  }

  /**
   * When the stamp vouches that nothing changed since its build, prints that build's results as a
   * build with nothing to do prints them and returns true; else prints nothing and returns false.
   */
  boolean answer(PrintStream out) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return false;
    }
    List<String> nodeLines = new ArrayList<>();
    try {
      if (lines.size() < 3 || !lines.get(0).equals(MAGIC) || !lines.get(1).equals(code().line())) {
        return false;
      }
      String store = lines.get(2);
      if (!store.startsWith("store ")) {
        return false;
      }
      Entry index = Entry.parse(store.substring("store ".length()));
      if (!Entry.of(Path.of(index.path())).line().equals(index.line())) {
        return false;
      }
      for (String line : lines.subList(3, lines.size())) {
        if (line.startsWith("node ")) {
          nodeLines.add(line);
        } else if (!Entry.of(Path.of(Entry.parse(line).path())).line().equals(line)) {
          return false;
        }
      }
    } catch (IOException | RuntimeException e) {
      return false; // unreadable or foreign: the build decides
    }
    long start = System.nanoTime();
    for (String line : nodeLines) {
      // as a build that reuses every step prints it
      String[] f = line.split(" ", 6);
      out.println(
          "["
              + f[1]
              + "] reused "
              + f[5]
              + " "
              + f[2]
              + " (0 steps run, "
              + f[3]
              + " cached, 0.0 s)");
      if (Integer.parseInt(f[4]) > 0) {
        out.println(
            "["
                + f[1]
                + "] lint: "
                + f[4]
                + " finding(s) (image unchanged since its last check; strata lint lists them)");
      }
    }
    out.println(
        "up to date: the inputs and the store are as the last build left them"
            + " (STRATA_UP_TO_DATE=0 checks every step)");
    out.println(
        "built 0, reused "
            + nodeLines.size()
            + ", failed 0 in "
            + tenths(System.nanoTime() - start)
            + " s");
    out.flush();
    return true;
  }

  /** Drops this command's stamp (a build that failed or cannot be vouched for). */
  void forget() throws IOException {
    Files.deleteIfExists(file);
  }

  /** The strata code this process runs (the jar's size and mtime; a classes folder's path). */
  private static Entry code() throws IOException {
    Path location;
    try {
      location =
          Path.of(BuildStamp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (java.net.URISyntaxException | RuntimeException e) {
      throw new IOException("where strata runs from is unknown", e);
    }
    Entry e = Entry.of(location);
    return e.kind().equals("f")
        ? e
        : new Entry(location.toString(), "classes", 0, 0, 0, 0, 0, 0, 0, 0);
  }

  /** Keeps the newest {@value #KEEP} stamps of {@code dir}. */
  private static void prune(Path dir) throws IOException {
    List<Path> stamps;
    try (var list = Files.list(dir)) {
      stamps = list.filter(p -> p.getFileName().toString().endsWith(".stamp")).toList();
    }
    if (stamps.size() <= KEEP) {
      return;
    }
    List<Path> byAge = new ArrayList<>(stamps);
    byAge.sort(
        (a, b) -> {
          try {
            return Files.getLastModifiedTime(a).compareTo(Files.getLastModifiedTime(b));
          } catch (IOException e) {
            return 0;
          }
        });
    for (Path p : byAge.subList(0, byAge.size() - KEEP)) {
      Files.deleteIfExists(p);
    }
  }

  private static boolean hasSpace(String s) {
    return s.contains(" ") || s.contains("\n");
  }

  /** {@code nanos} in seconds with one decimal, as the build's summary prints them. */
  private static String tenths(long nanos) {
    long tenths = (nanos + 50_000_000) / 100_000_000;
    return tenths / 10 + "." + tenths % 10;
  }

  /**
   * The name of a command's stamp: 128 bits from two independent 64-bit hashes (FNV-1a, and a
   * multiplicative hash with a splitmix64 finish) of length-prefixed strings. Not a cryptographic
   * hash: it only tells invocations apart, it guards nothing (the stamp's content is checked
   * against the disk), and the JDK's SHA-256 costs ~15 ms on first use, a sixth of the answer.
   */
  private static final class KeyHash {
    private long fnv = 0xcbf29ce484222325L;
    private long mul = 0x243f6a8885a308d3L;

    void add(String s) {
      byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
      addByte(bytes.length);
      addByte(bytes.length >>> 8);
      addByte(bytes.length >>> 16);
      addByte(bytes.length >>> 24);
      for (byte b : bytes) {
        addByte(b);
      }
    }

    private void addByte(int b) {
      fnv = (fnv ^ (b & 0xff)) * 0x100000001b3L;
      mul = (mul + (b & 0xff) + 1) * 0x9e3779b97f4a7c15L;
    }

    String hex() {
      long z = mul;
      z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
      z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
      z ^= z >>> 31;
      return hex16(fnv) + hex16(z);
    }

    private static String hex16(long v) {
      String hex = Long.toHexString(v);
      return "0".repeat(16 - hex.length()) + hex;
    }
  }
}
