package dev.strata.bridge.rootfs;

/** A numeric owner, as layers store it. */
public record Owner(int uid, int gid) {
  public static final Owner ROOT = new Owner(0, 0);

  public Owner {
    if (uid < 0 || gid < 0) {
      throw new IllegalArgumentException("negative owner " + uid + ":" + gid);
    }
  }

  @Override
  public String toString() {
    return uid + ":" + gid;
  }
}
