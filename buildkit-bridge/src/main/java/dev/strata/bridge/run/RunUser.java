package dev.strata.bridge.run;

import java.util.List;

/** The numeric identity a RUN's process has: user, primary group and supplementary groups. */
public record RunUser(int uid, int gid, List<Integer> additionalGids) {
  /** root, as a RUN runs without USER. */
  public static final RunUser ROOT = new RunUser(0, 0, List.of());

  public RunUser {
    additionalGids = List.copyOf(additionalGids);
    if (uid < 0 || gid < 0 || additionalGids.stream().anyMatch(g -> g < 0)) {
      throw new IllegalArgumentException("negative user or group id in " + uid + ":" + gid);
    }
  }
}
