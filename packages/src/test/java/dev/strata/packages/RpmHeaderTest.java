package dev.strata.packages;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The header blob format: index entries pointing into a data store. */
class RpmHeaderTest {

  static byte[] bashHeader() {
    return new RpmHeaderBlob()
        .string(RpmHeader.NAME, "bash")
        .int32(RpmHeader.EPOCH, 1)
        .string(RpmHeader.VERSION, "5.1.8")
        .string(RpmHeader.RELEASE, "9.el9")
        .string(RpmHeader.ARCH, "x86_64")
        .i18n(RpmHeader.LICENSE, "GPL-3.0-or-later")
        .string(RpmHeader.SOURCERPM, "bash-5.1.8-9.el9.src.rpm")
        .bytes();
  }

  @Test
  void decodesTheTagsTheInventoryNeeds() {
    RpmHeader header = RpmHeader.parse(bashHeader());
    assertThat(header.string(RpmHeader.NAME)).contains("bash");
    assertThat(header.int32(RpmHeader.EPOCH)).contains(1);
    assertThat(header.string(RpmHeader.VERSION)).contains("5.1.8");
    assertThat(header.string(RpmHeader.RELEASE)).contains("9.el9");
    assertThat(header.string(RpmHeader.ARCH)).contains("x86_64");
    assertThat(header.string(RpmHeader.LICENSE)).contains("GPL-3.0-or-later");
    assertThat(header.string(RpmHeader.SOURCERPM)).contains("bash-5.1.8-9.el9.src.rpm");
  }

  @Test
  void truncatedBlobIsRefusedWithItsSizes() {
    byte[] blob = bashHeader();
    assertThatThrownBy(() -> RpmHeader.parse(Arrays.copyOf(blob, blob.length - 5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> RpmHeader.parse(new byte[] {0, 0}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("truncated");
  }
}
