package dev.strata.disk.boot;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A machine's serial console: a reader thread drains it continuously into a transcript (a guest
 * blocks when nobody reads its console), {@link #expect} waits for a pattern after what was already
 * consumed, {@link #send} types a line, and {@link #run} runs a shell command and returns its
 * output and exit status, framed by markers the echoed command line cannot match.
 */
public final class SerialConsole implements AutoCloseable {
  private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[ -/]*[@-~]|\r");

  private final OutputStream input;
  private final StringBuilder transcript = new StringBuilder();
  private final Thread reader;
  private final AtomicInteger commands = new AtomicInteger();
  private int consumed;
  private volatile boolean closed;

  SerialConsole(InputStream output, OutputStream input) {
    this.input = input;
    this.reader =
        new Thread(
            () -> {
              byte[] buf = new byte[8192];
              try {
                for (int n; (n = output.read(buf)) >= 0; ) {
                  synchronized (transcript) {
                    transcript.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
                    transcript.notifyAll();
                  }
                }
              } catch (IOException e) {
                // the machine is gone
              } finally {
                synchronized (transcript) {
                  closed = true;
                  transcript.notifyAll();
                }
              }
            },
            "serial-console");
    reader.setDaemon(true);
    reader.start();
  }

  /** Everything the console printed so far, escape sequences and carriage returns removed. */
  public String transcript() {
    synchronized (transcript) {
      return ANSI.matcher(transcript).replaceAll("");
    }
  }

  /**
   * Waits until {@code pattern} appears in output not yet consumed; consumes up to the end of the
   * match and returns it. Fails with the transcript's tail on timeout or when the machine stops.
   */
  public Matcher expect(Pattern pattern, Duration timeout) throws IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (transcript) {
      while (true) {
        String text = ANSI.matcher(transcript.substring(consumed)).replaceAll("");
        Matcher m = pattern.matcher(text);
        if (m.find()) {
          // map the match end back onto the raw buffer: consume everything read so far
          consumed = transcript.length();
          return m;
        }
        long left = deadline - System.nanoTime();
        if (closed || left <= 0) {
          throw new IOException(
              (closed ? "the machine stopped" : "timed out after " + timeout.toSeconds() + " s")
                  + " waiting for /"
                  + pattern
                  + "/ on the serial console; last output:\n"
                  + tail(transcript(), 40));
        }
        try {
          transcript.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new IOException("interrupted waiting for the serial console", e);
        }
      }
    }
  }

  /** Types {@code line} and Enter. */
  public void send(String line) throws IOException {
    input.write((line + "\r").getBytes(StandardCharsets.UTF_8));
    input.flush();
  }

  /**
   * Logs in at the getty's {@code login:} prompt and waits until the shell runs a command. Boot
   * messages may still interleave with the prompts, so nothing is anchored to a line end.
   */
  public void login(String user, String password, Duration timeout) throws IOException {
    expect(Pattern.compile("login: "), timeout);
    send(user);
    expect(Pattern.compile("Password: ?"), Duration.ofSeconds(60));
    send(password);
    // login flushes what was typed ahead, so wait for the prompt, then probe until the shell
    // answers
    Matcher m = expect(Pattern.compile("([$#] )|(Login incorrect)"), Duration.ofSeconds(120));
    if (m.group(2) != null) {
      throw new IOException("login as '" + user + "' was refused (Login incorrect)");
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
    while (true) {
      try {
        CommandResult whoami = run("id -un", Duration.ofSeconds(15));
        if (!whoami.output().strip().endsWith(user)) {
          throw new IOException(
              "logged in as '" + whoami.output().strip() + "', expected '" + user + "'");
        }
        return;
      } catch (IOException e) {
        String why = String.valueOf(e.getMessage());
        if (System.nanoTime() > deadline
            || why.startsWith("logged in as")
            || why.startsWith("the machine stopped")) {
          throw e;
        }
      }
    }
  }

  /** Runs {@code command} in the logged-in shell; returns its output and exit status. */
  public CommandResult run(String command, Duration timeout) throws IOException {
    int n = commands.incrementAndGet();
    // the shell prints BEGIN/END; the echoed command line shows B""EGIN, which the pattern skips
    String begin = "STRATA-BEGIN-" + n;
    String end = "STRATA-END-" + n;
    send("echo STRATA-B\"\"EGIN-" + n + "; " + command + "; echo STRATA-E\"\"ND-" + n + " $?");
    Matcher m =
        expect(
            Pattern.compile(
                "(?m)^" + Pattern.quote(begin) + "\\n(.*?)^" + Pattern.quote(end) + " (\\d+)$",
                Pattern.DOTALL),
            timeout);
    String output = KERNEL_MESSAGE.matcher(m.group(1)).replaceAll("").stripTrailing();
    return new CommandResult(command, output, Integer.parseInt(m.group(2)));
  }

  /**
   * A kernel message the console prints between a command's lines ({@code [ 20.19] text}): the
   * kernel writes to the same serial port whenever it logs, so it is no part of the output.
   */
  private static final Pattern KERNEL_MESSAGE =
      Pattern.compile("(?m)^\\[\\s*\\d+\\.\\d+\\] .*(\\n|$)");

  @Override
  public void close() throws IOException {
    input.close();
  }

  private static String tail(String text, int lines) {
    String[] all = text.split("\n");
    StringBuilder out = new StringBuilder();
    for (int i = Math.max(0, all.length - lines); i < all.length; i++) {
      out.append(all[i]).append('\n');
    }
    return out.toString();
  }

  /** A command's output and exit status. */
  public record CommandResult(String command, String output, int exitStatus) {}
}
