package dev.strata.bridge.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.strata.bridge.fs.Posix;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TarFormatTest {
  // cap_setuid+ep: byte 0x80 breaks commons-compress; 0x0a and 0x00 break naive PAX parsers.
  static final byte[] CAPABILITY = {
    1, 0, 0, 2, (byte) 0x80, 0, 0, 0, 0x0a, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
  };
  static final Instant T = Instant.parse("2024-03-01T10:00:00.123456789Z");

  @TempDir Path tmp;

  @Test
  void binaryXattrValuesSurviveWriteAndRead() throws IOException {
    TarEntry file =
        TarEntry.file("usr/bin/ping", 04755, 0, 0, T, 3)
            .withXattrs(Map.of("security.capability", CAPABILITY, "user.x", new byte[] {0, -1}));

    List<TarEntry> back = roundTrip(List.of(file), "abc".getBytes(StandardCharsets.UTF_8));

    assertThat(back).containsExactly(file);
    assertThat(back.get(0).xattrs().get("security.capability")).isEqualTo(CAPABILITY);
  }

  @Test
  void longNamesLongLinkTargetsAndNanosecondsSurvive() throws IOException {
    String longName = "a/".repeat(80) + "file-\u00e9";
    TarEntry link = TarEntry.symlink("l", "/" + "t".repeat(150), 1, 2, T);
    TarEntry file = TarEntry.file(longName, 0600, 123456789, 7, Instant.ofEpochSecond(5, 1), 0);

    assertThat(roundTrip(List.of(link, file), new byte[0])).containsExactly(link, file);
  }

  @Test
  void sameEntriesGiveSameBytesWithoutAtimeOrCtime() throws IOException {
    TarEntry file = TarEntry.file("f", 0644, 0, 0, T, 0);

    byte[] first = write(List.of(file), new byte[0]);
    byte[] second = write(List.of(file), new byte[0]);

    assertThat(first).isEqualTo(second);
    String text = new String(first, StandardCharsets.ISO_8859_1);
    assertThat(text).contains("mtime=1709287200.123456789").doesNotContain("atime", "ctime");
  }

  @Test
  void readsGnuTarPosixArchiveWithExactCapabilityBytes() throws Exception {
    Path src = Files.createDirectory(tmp.resolve("src"));
    Path f = Files.writeString(src.resolve("f"), "hi");
    Posix.lsetxattr(f, "user.cap", CAPABILITY);
    Path archive = tmp.resolve("gnu.tar");
    run(
        "tar",
        "--format=posix",
        "--xattrs",
        "--xattrs-include=*",
        "-C",
        src.toString(),
        "-cf",
        archive.toString(),
        "f");

    try (TarReader reader = new TarReader(Files.newInputStream(archive))) {
      TarEntry entry = reader.next();
      assertThat(entry.path()).isEqualTo("f");
      assertThat(entry.xattrs().get("user.cap")).isEqualTo(CAPABILITY);
      assertThat(new String(reader.content().readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("hi");
      assertThat(reader.next()).isNull();
    }
  }

  @Test
  void readsGnuFormatLongNames() throws Exception {
    Path src = Files.createDirectories(tmp.resolve("src/" + "d".repeat(120)));
    Files.writeString(src.resolve("x"), "1");
    Path archive = tmp.resolve("gnu.tar");
    run("tar", "--format=gnu", "-C", tmp.resolve("src").toString(), "-cf", archive.toString(), ".");

    List<String> paths = new ArrayList<>();
    try (TarReader reader = new TarReader(Files.newInputStream(archive))) {
      for (TarEntry e = reader.next(); e != null; e = reader.next()) {
        paths.add(e.path());
      }
    }

    assertThat(paths).containsExactly(".", "d".repeat(120), "d".repeat(120) + "/x");
  }

  @Test
  void refusesAbsoluteEntryNames() throws Exception {
    Path f = Files.writeString(tmp.resolve("abs"), "x");
    Path archive = tmp.resolve("abs.tar");
    run("tar", "-P", "-cf", archive.toString(), f.toString());

    try (TarReader reader = new TarReader(Files.newInputStream(archive))) {
      assertThatThrownBy(reader::next)
          .isInstanceOf(UnsafeEntryException.class)
          .hasMessageContaining("absolute");
    }
  }

  @Test
  void refusesDotDotEntryNames() throws Exception {
    Path dir = Files.createDirectory(tmp.resolve("d"));
    Files.writeString(tmp.resolve("up"), "x");
    Path archive = tmp.resolve("up.tar");
    run("tar", "-P", "-C", dir.toString(), "-cf", archive.toString(), "../up");

    try (TarReader reader = new TarReader(Files.newInputStream(archive))) {
      assertThatThrownBy(reader::next)
          .isInstanceOf(UnsafeEntryException.class)
          .hasMessageContaining("'..'");
    }
  }

  @Test
  void paxRecordLengthCountsItsOwnDigits() throws IOException {
    TreeMap<String, byte[]> records = new TreeMap<>();
    records.put(
        "k", "v".repeat(94).getBytes(StandardCharsets.US_ASCII)); // 98 + "100" overflows to 101

    byte[] encoded = PaxHeaders.encode(records);

    assertThat(new String(encoded, StandardCharsets.US_ASCII)).startsWith("101 k=");
    assertThat(encoded).hasSize(101);
    assertThat(PaxHeaders.decode(encoded).get("k")).isEqualTo(records.get("k"));
  }

  static byte[] write(List<TarEntry> entries, byte[] content) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (TarWriter writer = new TarWriter(out)) {
      for (TarEntry e : entries) {
        InputStream in =
            e.size() == 0 ? InputStream.nullInputStream() : new ByteArrayInputStream(content);
        writer.write(e, in);
      }
    }
    return out.toByteArray();
  }

  static List<TarEntry> roundTrip(List<TarEntry> entries, byte[] content) throws IOException {
    List<TarEntry> back = new ArrayList<>();
    try (TarReader reader = new TarReader(new ByteArrayInputStream(write(entries, content)))) {
      for (TarEntry e = reader.next(); e != null; e = reader.next()) {
        back.add(e);
      }
    }
    return back;
  }

  static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("%s: %s", String.join(" ", command), out).isZero();
    return out;
  }
}
