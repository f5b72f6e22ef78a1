package dev.strata.bridge.rootfs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The users and groups of an image, read from its own {@code /etc/passwd} and {@code /etc/group}
 * (never the host's), to turn {@code --chown} and USER names into numeric ids the way buildah does.
 */
public final class UserDatabase {
  private record User(String name, int uid, int gid, String home) {}

  private final Map<String, User> usersByName = new LinkedHashMap<>();
  private final Map<Integer, User> usersById = new LinkedHashMap<>();
  private final Map<String, Integer> groupsByName = new LinkedHashMap<>();
  private final Map<String, List<Integer>> groupsByMember = new LinkedHashMap<>();

  private UserDatabase() {}

  /**
   * The home directory of {@code uid} as runc gives it in {@code HOME} when the environment has
   * none: the passwd entry's (first entry of that uid), or {@code /} for a uid without one.
   */
  public String home(int uid) {
    User user = usersById.get(uid);
    return user == null ? "/" : user.home();
  }

  /** Reads the database of the image {@code view} shows; missing files mean no names. */
  public static UserDatabase of(RootfsView view) throws IOException {
    UserDatabase db = new UserDatabase();
    Optional<byte[]> passwd = view.read("/etc/passwd");
    if (passwd.isPresent()) {
      for (String[] f : records(passwd.get())) {
        if (f.length >= 4) {
          Integer uid = number(f[2]);
          Integer gid = number(f[3]);
          if (uid != null && gid != null) {
            User user = new User(f[0], uid, gid, f.length >= 6 ? f[5] : "");
            db.usersByName.putIfAbsent(f[0], user);
            db.usersById.putIfAbsent(uid, user);
          }
        }
      }
    }
    Optional<byte[]> group = view.read("/etc/group");
    if (group.isPresent()) {
      for (String[] f : records(group.get())) {
        if (f.length >= 3) {
          Integer gid = number(f[2]);
          if (gid != null) {
            db.groupsByName.putIfAbsent(f[0], gid);
            if (f.length >= 4) {
              for (String member : f[3].split(",")) {
                if (!member.isBlank()) {
                  db.groupsByMember
                      .computeIfAbsent(member.strip(), k -> new ArrayList<>())
                      .add(gid);
                }
              }
            }
          }
        }
      }
    }
    return db;
  }

  /**
   * Resolves {@code user[:group]} as buildah does: names through the image's files, numbers as they
   * are; without a group, a user's primary group from passwd (GID 0 for a number passwd does not
   * list).
   *
   * @throws UnknownOwnerException when a name is not in the image's files
   */
  public Owner resolve(String spec) throws UnknownOwnerException {
    int colon = spec.indexOf(':');
    String userPart = colon < 0 ? spec : spec.substring(0, colon);
    String groupPart = colon < 0 ? null : spec.substring(colon + 1);
    if (userPart.isEmpty()) {
      userPart = "0";
    }
    Integer uid = number(userPart);
    Integer primaryGid;
    if (uid != null) {
      User known = usersById.get(uid);
      primaryGid = known == null ? 0 : known.gid();
    } else {
      User named = usersByName.get(userPart);
      if (named == null) {
        throw new UnknownOwnerException(
            "user '"
                + userPart
                + "' is not in the image's /etc/passwd; use a name the image defines or a"
                + " numeric id");
      }
      uid = named.uid();
      primaryGid = named.gid();
    }
    if (groupPart == null || groupPart.isEmpty()) {
      return new Owner(uid, primaryGid);
    }
    Integer gid = number(groupPart);
    if (gid == null) {
      gid = groupsByName.get(groupPart);
      if (gid == null) {
        throw new UnknownOwnerException(
            "group '"
                + groupPart
                + "' is not in the image's /etc/group; use a name the image defines or a"
                + " numeric id");
      }
    }
    return new Owner(uid, gid);
  }

  /**
   * The groups {@code /etc/group} lists the user of {@code spec} ({@code user[:group]}) as a member
   * of, as the supplementary groups a RUN gets (BuildKit and buildah read them the same way); none
   * when a group is given explicitly or the user has no name.
   */
  public List<Integer> supplementaryGroups(String spec) {
    int colon = spec.indexOf(':');
    if (colon >= 0) {
      return List.of();
    }
    Integer uid = number(spec);
    String name = spec;
    if (uid != null) {
      User known = usersById.get(uid);
      if (known == null) {
        return List.of();
      }
      name = known.name();
    }
    return List.copyOf(groupsByMember.getOrDefault(name, List.of()));
  }

  private static Iterable<String[]> records(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8)
            .lines()
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .map(l -> l.split(":", -1))
        ::iterator;
  }

  private static Integer number(String s) {
    if (!s.matches("[0-9]{1,10}")) {
      return null;
    }
    long v = Long.parseLong(s);
    return v > Integer.MAX_VALUE ? null : (int) v;
  }
}
