package dev.faultline.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher script (src/main/scripts/faultline, laid out as dist/bin/faultline) and its class
 * data sharing archive: the first serve makes one at its exit, the next start takes it into use,
 * and an archive that is broken, half-written or older than the jar never stops a start nor
 * shows in its output; and the native heap trim, given only to a JVM that knows it. Run on a
 * distribution folder of its own whose jar is {@link LauncherProbe}.
 */
class LauncherScriptTest {

  private static final Path SCRIPT = Path.of("src/main/scripts/faultline");

  @TempDir
  Path dist;

  private Path jar;
  private Path cds;

  @BeforeEach
  void layOut() throws IOException {
    Path bin = Files.createDirectories(dist.resolve("bin"));
    Files.copy(SCRIPT, bin.resolve("faultline"));
    jar = dist.resolve("faultline.jar");
    writeJar(null);
    cds = dist.resolve("cds");
  }

  @Test
  void theFirstServeMakesTheArchiveAndTheNextStartUsesIt() throws Exception {
    String first = launch(Map.of(), "serve");
    assertTrue(first.contains("option -XX:ArchiveClassesAtExit=" + cds.toRealPath()), first);
    assertEquals(1, pending().size(), "the first serve leaves its archive, named after its pid: " + files());

    Path loads = dist.resolve("class-load.log");
    String second = launch(Map.of("JAVA_OPTS", "-Xlog:class+load=info:file=" + loads), "serve");
    assertEquals(List.of(), pending(), "the next start took the archive into use: " + files());
    assertEquals(1, archives().size(), files());
    assertTrue(second.contains("option -XX:SharedArchiveFile=" + archives().get(0)), second);
    assertTrue(Files.readString(loads).contains(LauncherProbe.class.getName() + " source: shared objects file (top)"),
        "the probe's class came from the archive, not the jar");
    assertFalse(second.contains("ArchiveClassesAtExit"), "no second archive is made: " + second);
  }

  @Test
  void otherCommandsAndFaultlineCdsOffMakeNoArchive() throws Exception {
    String version = launch(Map.of(), "--version");
    assertFalse(version.contains("Archive"), version);
    String off = launch(Map.of("FAULTLINE_CDS", "off"), "serve");
    assertFalse(off.contains("Archive"), off);
    assertFalse(Files.exists(cds), "nothing written: " + files());
  }

  @Test
  void anArchiveThatNoLongerFitsIsIgnoredInSilence() throws Exception {
    launch(Map.of(), "serve");
    launch(Map.of(), "serve");
    Path archive = archives().get(0);
    // the jar replaced by another with an older time (a copy that kept its date): the JVM sees the
    // archive was made from a different jar, and would say so on every start
    FileTime made = Files.getLastModifiedTime(archive);
    writeJar("an extra entry, so the jar differs");
    Files.setLastModifiedTime(jar, FileTime.fromMillis(made.toMillis() - 60_000));
    String mismatched = launch(Map.of(), "serve");
    assertTrue(mismatched.contains("option -XX:SharedArchiveFile=" + archive), mismatched);
    assertClean(mismatched);

    Files.writeString(archive, "not an archive: a disk error, a copy cut short");
    String broken = launch(Map.of(), "serve");
    assertTrue(broken.contains("option -XX:SharedArchiveFile=" + archive), broken);
    assertClean(broken);
  }

  @Test
  void aHalfWrittenArchiveIsDroppedAndMadeAgain() throws Exception {
    Files.createDirectories(cds);
    // what a JVM killed while writing its archive leaves, named after a pid no process has
    Path cut = cds.resolve("faultline-" + key() + ".jsa.999999999");
    Files.write(cut, new byte[4096]);
    String started = launch(Map.of(), "serve");
    assertClean(started);
    assertFalse(Files.exists(cut), "the cut archive is removed: " + files());
    assertTrue(started.contains("option -XX:ArchiveClassesAtExit="), "a new one is made instead: " + started);
    assertEquals(List.of(), archives(), files());
  }

  @Test
  void anArchiveOlderThanTheJarIsReplaced() throws Exception {
    launch(Map.of(), "serve");
    launch(Map.of(), "serve");
    Path archive = archives().get(0);
    // a new build: the jar is newer than the archive made from the old one
    Files.setLastModifiedTime(jar, FileTime.fromMillis(Files.getLastModifiedTime(archive).toMillis() + 60_000));
    String started = launch(Map.of(), "serve");
    assertClean(started);
    assertTrue(started.contains("option -XX:ArchiveClassesAtExit="), "a fresh archive is made: " + started);
    assertFalse(started.contains("SharedArchiveFile"), started);
  }

  @Test
  void aJvmThatKnowsTheNativeHeapTrimRunsWithIt() throws Exception {
    Runtime.Version java = Runtime.version();
    boolean knows = java.feature() == 17 && java.update() >= 9 || java.feature() == 21 && java.update() >= 1
        || java.feature() >= 22;
    String output = launch(Map.of("FAULTLINE_CDS", "off"), "--version");
    assertEquals(knows, output.contains("option -XX:TrimNativeHeapInterval=5000"), java + ": " + output);
  }

  @Test
  void theOptimizingCompilerWaitsForFourTimesTheDefaultCountsAndJavaOptsStillWins() throws Exception {
    String output = launch(Map.of("FAULTLINE_CDS", "off"), "--version");
    for (String option : List.of("-XX:Tier4InvocationThreshold=20000", "-XX:Tier4MinInvocationThreshold=2400",
        "-XX:Tier4CompileThreshold=60000", "-XX:Tier4BackEdgeThreshold=160000")) {
      assertTrue(output.contains("option " + option), option + ": " + output);
    }
    String overridden = launch(Map.of("FAULTLINE_CDS", "off", "JAVA_OPTS", "-XX:Tier4InvocationThreshold=5000"),
        "--version");
    assertTrue(overridden.indexOf("option -XX:Tier4InvocationThreshold=5000")
        > overridden.indexOf("option -XX:Tier4InvocationThreshold=20000"), "JAVA_OPTS comes last: " + overridden);
  }

  @Test
  void aJvmOlderThanTheNativeHeapTrimIsNotGivenIt() throws Exception {
    // A Java home of its own whose release file says 17.0.8; its java runs this machine's.
    Path home = Files.createDirectories(dist.resolve("old-java/bin")).getParent();
    Files.writeString(home.resolve("release"), "IMPLEMENTOR=\"Test\"\nJAVA_VERSION=\"17.0.8\"\n");
    Path java = home.resolve("bin/java");
    Files.writeString(java, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' \"$@\"\n");
    assertTrue(java.toFile().setExecutable(true));
    String output = launch(Map.of("FAULTLINE_CDS", "off", "JAVA_HOME", home.toString()), "--version");
    assertFalse(output.contains("TrimNativeHeapInterval"), output);
  }

  /** The probe's jar; {@code extra}, when given, goes in as one more entry. */
  private void writeJar(String extra) throws IOException {
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, LauncherProbe.class.getName());
    String entry = LauncherProbe.class.getName().replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, manifest);
         InputStream probe = LauncherProbe.class.getClassLoader().getResourceAsStream(entry)) {
      out.putNextEntry(new JarEntry(entry));
      probe.transferTo(out);
      out.closeEntry();
      if (extra != null) {
        out.putNextEntry(new JarEntry("extra.txt"));
        out.write(extra.getBytes(StandardCharsets.UTF_8));
        out.closeEntry();
      }
    }
  }

  /** Runs dist/bin/faultline with {@code args}; it must exit 0 within a minute, having run the probe. */
  private String launch(Map<String, String> env, String... args) throws Exception {
    Path output = Files.createTempFile(dist, "run", ".out");
    ProcessBuilder builder = new ProcessBuilder(Stream.concat(Stream.of("sh", dist.resolve("bin/faultline").toString()),
        Stream.of(args)).toList()).redirectErrorStream(true).redirectOutput(output.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("FAULTLINE_") || name.equals("JAVA_OPTS"));
    builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
    builder.environment().putAll(env);
    Process process = builder.start();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("the launcher did not exit within 60 s:\n" + Files.readString(output));
    }
    String text = Files.readString(output, StandardCharsets.UTF_8);
    assertEquals(0, process.exitValue(), text);
    assertTrue(text.contains("probe ran with " + String.join(" ", args)), text);
    return text;
  }

  private static void assertClean(String output) {
    assertFalse(output.contains("warning") || output.contains("error") || output.contains("Error"),
        "nothing about the archive shows: " + output);
  }

  /** The key the script names the archives with: its jar's path and java's, as the script sees them. */
  private String key() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process process = new ProcessBuilder("sh", "-c", "printf '%s\\n%s\\n' \"$0\" \"$1\" | cksum | cut -d' ' -f1",
        jar.toRealPath().toString(), java).start();
    assertTrue(process.waitFor(10, TimeUnit.SECONDS));
    return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
  }

  private List<Path> archives() throws IOException {
    return list("glob:**/faultline-*.jsa");
  }

  private List<Path> pending() throws IOException {
    return list("glob:**/faultline-*.jsa.*");
  }

  private List<Path> list(String glob) throws IOException {
    if (!Files.isDirectory(cds)) {
      return List.of();
    }
    var matcher = cds.getFileSystem().getPathMatcher(glob);
    try (Stream<Path> files = Files.list(cds)) {
      return files.filter(matcher::matches).map(p -> {
        try {
          return p.toRealPath();
        } catch (IOException e) {
          throw new IllegalStateException(e);
        }
      }).sorted().toList();
    }
  }

  private String files() throws IOException {
    return archives() + " " + pending();
  }
}
