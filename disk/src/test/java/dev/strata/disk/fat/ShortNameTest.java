package dev.strata.disk.fat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How 8.3 names are chosen for the entries of one folder. */
class ShortNameTest {
  private static List<String> keys(List<String> names) throws FatException {
    List<String> keys = new ArrayList<>();
    for (ShortName s : ShortName.forFolder(names)) {
      keys.add(s.key());
    }
    return keys;
  }

  @Test
  void tailsGrowPastNineAndStayUnique() throws Exception {
    List<String> names = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      names.add("LongFileName" + i + ".txt");
    }
    List<String> keys = keys(names);
    assertThat(keys.get(0)).isEqualTo("LONGFI~1TXT");
    assertThat(keys.get(8)).isEqualTo("LONGFI~9TXT");
    assertThat(keys.get(9)).isEqualTo("LONGF~10TXT");
    assertThat(new HashSet<>(keys)).hasSize(12);
  }

  @Test
  void aNameThatIsItsOwnShortNameKeepsItWhateverComesFirst() throws Exception {
    assertThat(keys(List.of("LongFileName.txt", "LONGFI~1.TXT")))
        .containsExactly("LONGFI~2TXT", "LONGFI~1TXT");
  }

  @Test
  void charactersShortNamesCannotHoldBecomeUnderscores() throws Exception {
    assertThat(keys(List.of("a+b=c.txt", "Ünïcødé.conf", ".bashrc", "6.1.0-50-amd64")))
        .containsExactly("A_B_C~1 TXT", "_N_C_D~1CON", "BASHRC~1   ", "61~1    0-5");
  }

  @Test
  void caseDecidesBetweenNtFlagsAndALongName() {
    assertThat(ShortName.exact("README.TXT").caseFlags()).isZero();
    assertThat(ShortName.exact("README.TXT").needsLongName()).isFalse();
    assertThat(ShortName.exact("readme.txt").caseFlags())
        .isEqualTo(ShortName.LOWER_BASE | ShortName.LOWER_EXTENSION);
    assertThat(ShortName.exact("readme.TXT").caseFlags()).isEqualTo(ShortName.LOWER_BASE);
    assertThat(ShortName.exact("ReadMe.txt").needsLongName()).isTrue();
    assertThat(ShortName.exact("ReadMe.txt").key()).isEqualTo("README  TXT");
    assertThat(ShortName.exact("read me.txt")).isNull();
    assertThat(ShortName.exact("loader.conf")).isNull();
  }
}
