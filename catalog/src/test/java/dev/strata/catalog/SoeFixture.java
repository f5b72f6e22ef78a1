package dev.strata.catalog;

import dev.strata.packages.PackageInventory;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recorded builds shaped like examples/soe: debian:bookworm → base → soe → {db-server, web-server},
 * then the SOE rebuilt with one package added (tmux) and both roles rebuilt on it. Inventories are
 * dpkg status files, read by the real reader.
 */
public final class SoeFixture {
  public static final String DEBIAN = "docker.io/library/debian:bookworm";
  public static final String DEBIAN_DIGEST = digest('d');

  static final Map<String, String> BASE_PACKAGES =
      packages(
          "base-files", "12.4+deb12u5",
          "bash", "5.2.15-2+b2",
          "libc6", "2.36-9+deb12u4",
          "libssl3", "3.0.11-1~deb12u2",
          "systemd", "252.22-1~deb12u1",
          "linux-image-6.1.0-18-amd64", "6.1.76-1",
          "openssh-server", "1:9.2p1-2+deb12u2");
  static final Map<String, String> SOE_PACKAGES =
      packages(
          "chrony", "4.3-2+deb12u1",
          "rsyslog", "8.2302.0-1",
          "auditd", "1:3.0.9-1",
          "sudo", "1.9.13p3-1+deb12u1",
          "curl", "7.88.1-10+deb12u5");
  public static final Map<String, String> POSTGRESQL =
      packages(
          "postgresql", "15+248",
          "postgresql-15", "15.6-0+deb12u1",
          "postgresql-client-15", "15.6-0+deb12u1",
          "postgresql-common", "248",
          "libpq5", "15.6-0+deb12u1",
          "libllvm14", "1:14.0.6-12");
  static final Map<String, String> NGINX =
      packages(
          "nginx", "1.22.1-9",
          "nginx-common", "1.22.1-9",
          "ssl-cert", "1.1.2");

  private SoeFixture() {}

  /** Records the whole history into {@code catalog}. */
  public static void record(Catalog catalog) throws CatalogException {
    Instant t = Instant.parse("2025-06-01T08:00:00Z");
    Map<String, String> base = BASE_PACKAGES;
    Map<String, String> soe1 = merge(base, SOE_PACKAGES);
    Map<String, String> soe2 = merge(soe1, packages("tmux", "3.3a-3"));
    String baseDigest = digest('1');
    catalog.record(
        build("base", baseDigest, t, DEBIAN, DEBIAN_DIGEST, null, "new node (no recorded build)")
            .layers(List.of(layer('a'), layer('b')))
            .labels(Map.of("containers.bootc", "1", "org.opencontainers.image.title", "corp/base"))
            .build(),
        inventory(base));
    String soe1Digest = digest('2');
    catalog.record(
        soe(soe1Digest, t.plusSeconds(60), baseDigest, "2025.06", "new node"), inventory(soe1));
    catalog.record(
        role("db-server", digest('3'), t.plusSeconds(120), soe1Digest, 'p'),
        inventory(merge(soe1, POSTGRESQL)));
    catalog.record(
        role("web-server", digest('4'), t.plusSeconds(180), soe1Digest, 'n'),
        inventory(merge(soe1, NGINX)));
    String soe2Digest = digest('5');
    catalog.record(
        soe(
            soe2Digest,
            t.plusSeconds(86_400),
            baseDigest,
            "2025.07",
            "step 3: instruction changed: RUN apt-get install … tmux"),
        inventory(soe2));
    catalog.record(
        role("db-server", digest('6'), t.plusSeconds(86_460), soe2Digest, 'q'),
        inventory(merge(soe2, POSTGRESQL)));
    catalog.record(
        role("web-server", digest('7'), t.plusSeconds(86_520), soe2Digest, 'o'),
        inventory(merge(soe2, NGINX)));
  }

  private static BuildRecord soe(
      String digest, Instant at, String baseDigest, String version, String reason) {
    return build("soe", digest, at, "corp/base", baseDigest, "base", reason)
        .parentDigests(List.of(baseDigest))
        .layers(List.of(layer('a'), layer('b'), layer(version.endsWith("06") ? 'c' : 'e')))
        .labels(
            Map.of(
                "org.opencontainers.image.title", "corp/soe",
                "com.example.soe.version", version,
                "com.example.soe.owner", "platform-team@example.com"))
        .buildArgs(Map.of("SOE_VERSION", version))
        .config("{\"Cmd\":[\"/sbin/init\"],\"StopSignal\":\"SIGRTMIN+3\"}")
        .build();
  }

  private static BuildRecord role(
      String node, String digest, Instant at, String soeDigest, char layer) {
    boolean db = node.equals("db-server");
    return build(node, digest, at, "corp/soe", soeDigest, "soe", "parent rebuilt: soe")
        .parentDigests(List.of(soeDigest))
        .layers(
            List.of(
                layer('a'),
                layer('b'),
                layer(soeDigest.equals(digest('2')) ? 'c' : 'e'),
                layer(layer)))
        .labels(
            Map.of(
                "org.opencontainers.image.title",
                "corp/" + node,
                "com.example.soe.owner",
                "platform-team@example.com"))
        .config(
            db
                ? "{\"Cmd\":[\"/sbin/init\"],\"ExposedPorts\":{\"5432/tcp\":{}}}"
                : "{\"Cmd\":[\"/sbin/init\"],\"ExposedPorts\":{\"443/tcp\":{},\"80/tcp\":{}}}")
        .disks(
            List.of(
                new DiskImage(
                    db ? "qcow2" : "raw",
                    "output/" + node + "/disk." + (db ? "qcow2" : "raw"),
                    10L << 30,
                    java.util.Optional.empty(),
                    at.plusSeconds(30))))
        .build();
  }

  private static BuildRecord.Builder build(
      String node,
      String digest,
      Instant at,
      String base,
      String baseDigest,
      String parent,
      String reason) {
    return BuildRecord.builder(node, "localhost:5000/corp/" + node, digest, at)
        .tags(List.of("latest"))
        .configDigest(digest.replace("sha256:", "sha256:c"))
        .parentNode(parent)
        .base(base, baseDigest)
        .containerfileDigest(digest('f'))
        .gitCommit("0123456789abcdef0123456789abcdef01234567")
        .size(700_000_000L)
        .planReasons(List.of(reason))
        .engine("native");
  }

  public static String digest(char c) {
    return "sha256:" + String.valueOf(c).repeat(64);
  }

  static Layer layer(char c) {
    return new Layer(digest(c), 1000 + c, "RUN step " + c);
  }

  static Map<String, String> packages(String... nameVersion) {
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < nameVersion.length; i += 2) {
      map.put(nameVersion[i], nameVersion[i + 1]);
    }
    return map;
  }

  static Map<String, String> merge(Map<String, String> a, Map<String, String> b) {
    Map<String, String> map = new LinkedHashMap<>(a);
    map.putAll(b);
    return map;
  }

  /** A dpkg status file listing {@code packages}, plus one removed package that must not count. */
  public static String dpkgStatus(Map<String, String> packages) {
    List<String> paragraphs = new ArrayList<>();
    packages.forEach(
        (name, version) ->
            paragraphs.add(
                "Package: "
                    + name
                    + "\nStatus: install ok installed\nPriority: optional\nArchitecture: amd64\n"
                    + "Version: "
                    + version
                    + "\nDescription: "
                    + name
                    + "\n the "
                    + name
                    + " package\n"));
    paragraphs.add(
        "Package: old-removed\nStatus: deinstall ok config-files\nArchitecture: amd64\n"
            + "Version: 1.0-1\n");
    return String.join("\n", paragraphs);
  }

  static PackageInventory inventory(Map<String, String> packages) {
    return PackageInventory.ofDpkgStatus(dpkgStatus(packages).getBytes(StandardCharsets.UTF_8));
  }
}
