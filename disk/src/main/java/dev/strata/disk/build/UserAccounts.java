package dev.strata.disk.build;

import dev.strata.disk.config.DiskUser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Adds or updates the config's users in the image's rootfs by editing /etc/passwd, /etc/shadow,
 * /etc/group and /etc/gshadow directly, as {@code useradd --root} would but without a chroot: a new
 * user gets the next free uid from 1000, a group of its own, a home folder and, with a key, {@code
 * ~/.ssh/authorized_keys}. {@code root} only gets its password and key set. Supplementary groups
 * must already exist in the image.
 */
final class UserAccounts {
  private static final int FIRST_UID = 1000;
  private static final int LAST_UID = 59999;

  private final RootfsEdits stage;
  private final List<String[]> passwd;
  private final List<String[]> shadow;
  private final List<String[]> group;
  private final List<String[]> gshadow;

  private UserAccounts(RootfsEdits stage) throws IOException {
    this.stage = stage;
    this.passwd = table(stage.read("/etc/passwd"), 7);
    this.shadow = table(stage.read("/etc/shadow"), 9);
    this.group = table(stage.read("/etc/group"), 4);
    this.gshadow = table(stage.read("/etc/gshadow"), 4);
  }

  static void apply(RootfsEdits stage, List<DiskUser> users) throws IOException {
    if (users.isEmpty()) {
      return;
    }
    if (stage.read("/etc/passwd").isEmpty()) {
      throw new DiskBuildException("the image has no /etc/passwd; users cannot be added to it");
    }
    UserAccounts accounts = new UserAccounts(stage);
    for (DiskUser user : users) {
      accounts.add(user);
    }
    accounts.save();
  }

  private void add(DiskUser user) throws IOException {
    for (String g : user.groups()) {
      if (find(group, g) == null) {
        throw new DiskBuildException(
            "user "
                + user.name()
                + ": group '"
                + g
                + "' does not exist in the image's /etc/group; create it in the Containerfile or"
                + " remove it from the config");
      }
    }
    String[] entry = find(passwd, user.name());
    if (entry == null) {
      int id = freeId();
      String home = "/home/" + user.name();
      String shell = stage.source("/bin/bash").isPresent() ? "/bin/bash" : "/bin/sh";
      entry =
          new String[] {
            user.name(), "x", Integer.toString(id), Integer.toString(id), "", home, shell
          };
      passwd.add(entry);
      if (find(group, user.name()) == null) {
        group.add(new String[] {user.name(), "x", Integer.toString(id), ""});
        gshadow.add(new String[] {user.name(), "!", "", ""});
      }
      shadow.removeIf(s -> s[0].equals(user.name()));
      shadow.add(
          new String[] {user.name(), "!", Long.toString(today()), "0", "99999", "7", "", "", ""});
      stage.mkdir(home, 0700, id, id);
    }
    int uid = Integer.parseInt(entry[2]);
    int gid = Integer.parseInt(entry[3]);
    if (user.password().isPresent()) {
      String hash =
          user.passwordIsHashed()
              ? user.password().get()
              : PasswordHash.sha512Crypt(user.password().get());
      String[] s = find(shadow, user.name());
      if (s == null) {
        s = new String[] {user.name(), "", Long.toString(today()), "0", "99999", "7", "", "", ""};
        shadow.add(s);
      }
      s[1] = hash;
      s[2] = Long.toString(today());
    }
    for (String g : user.groups()) {
      addMember(find(group, g), 3, user.name());
      String[] gs = find(gshadow, g);
      if (gs != null) {
        addMember(gs, 3, user.name());
      }
    }
    if (user.key().isPresent()) {
      String home = entry[5];
      stage.mkdir(home + "/.ssh", 0700, uid, gid);
      String existing = stage.read(home + "/.ssh/authorized_keys");
      String key = user.key().get().strip();
      if (!existing.lines().anyMatch(l -> l.strip().equals(key))) {
        String text = existing.isEmpty() || existing.endsWith("\n") ? existing : existing + "\n";
        stage.write(
            home + "/.ssh/authorized_keys",
            (text + key + "\n").getBytes(StandardCharsets.UTF_8),
            0600,
            uid,
            gid);
      }
    }
  }

  private int freeId() throws DiskBuildException {
    Set<Integer> used = new LinkedHashSet<>();
    for (String[] p : passwd) {
      used.add(parseId(p[2]));
    }
    for (String[] g : group) {
      used.add(parseId(g[2]));
    }
    for (int id = FIRST_UID; id <= LAST_UID; id++) {
      if (!used.contains(id)) {
        return id;
      }
    }
    throw new DiskBuildException("no free uid between " + FIRST_UID + " and " + LAST_UID);
  }

  private void save() throws IOException {
    stage.rewrite("/etc/passwd", render(passwd));
    stage.rewrite("/etc/group", render(group));
    // shadow files: never readable by others, whatever the image had
    writeSecret("/etc/shadow", render(shadow));
    if (!gshadow.isEmpty() || stage.exists("/etc/gshadow")) {
      writeSecret("/etc/gshadow", render(gshadow));
    }
  }

  private void writeSecret(String path, byte[] content) throws IOException {
    var found = stage.source(path);
    int gid = 0;
    int mode = 0640;
    if (found.isPresent()
        && Files.isRegularFile(found.get(), java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      var file = found.get();
      gid = (Integer) Files.getAttribute(file, "unix:gid", java.nio.file.LinkOption.NOFOLLOW_LINKS);
      mode =
          (Integer) Files.getAttribute(file, "unix:mode", java.nio.file.LinkOption.NOFOLLOW_LINKS)
              & 0640;
    }
    stage.write(path, content, mode, 0, gid);
  }

  private static void addMember(String[] entry, int field, String name) {
    List<String> members = new ArrayList<>();
    for (String m : entry[field].split(",")) {
      if (!m.isEmpty()) {
        members.add(m);
      }
    }
    if (!members.contains(name)) {
      members.add(name);
    }
    entry[field] = String.join(",", members);
  }

  private static int parseId(String text) {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  private static long today() {
    return LocalDate.now(ZoneOffset.UTC).toEpochDay();
  }

  private static String[] find(List<String[]> table, String name) {
    for (String[] row : table) {
      if (row[0].equals(name)) {
        return row;
      }
    }
    return null;
  }

  private static List<String[]> table(String text, int fields) {
    List<String[]> rows = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] parts = line.split(":", -1);
      String[] row = new String[Math.max(fields, parts.length)];
      for (int i = 0; i < row.length; i++) {
        row[i] = i < parts.length ? parts[i] : "";
      }
      rows.add(row);
    }
    return rows;
  }

  private static byte[] render(List<String[]> table) {
    StringBuilder out = new StringBuilder();
    for (String[] row : table) {
      out.append(String.join(":", row)).append('\n');
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }
}
