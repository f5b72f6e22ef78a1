package dev.strata.bridge.run;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A separate JVM for {@link KilledRunCleanupTest}: starts a RUN that never ends, echoing its
 * output, so the test can SIGKILL this process mid-RUN. Arguments: base layer, work root, cache
 * root, runtime, and the seconds the RUN's {@code sleep} is given (a number the test picks, so it
 * can tell its own sandbox from any other test's).
 */
public final class HangingRun {
  private HangingRun() {}

  public static void main(String[] args) throws Exception {
    RunExecutor executor =
        RunExecutor.open(Path.of(args[1]), Path.of(args[2]), Optional.of(args[3]));
    RunOutput echo =
        new RunOutput() {
          @Override
          public void stdout(byte[] bytes, int offset, int length) {
            System.out.print(new String(bytes, offset, length, StandardCharsets.UTF_8));
            System.out.flush();
          }

          @Override
          public void stderr(byte[] bytes, int offset, int length) {
            System.err.print(new String(bytes, offset, length, StandardCharsets.UTF_8));
          }
        };
    RunRequest req =
        RunRequest.of(
                List.of(Path.of(args[0])),
                RunCommand.exec(List.of("/bin/sh", "-c", "echo started; exec sleep " + args[4])),
                List.of())
            .withOutput(echo);
    executor.run(req).close();
  }
}
