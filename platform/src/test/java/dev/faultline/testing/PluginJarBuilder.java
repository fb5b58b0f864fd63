package dev.faultline.testing;

import dev.faultline.proxy.Echo;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import javax.tools.DiagnosticCollector;
import javax.tools.FileObject;
import javax.tools.ForwardingJavaFileManager;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileManager;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Builds a real PF4J plugin jar at test time: compiles Java sources (against the test classpath,
 * so the plugin API, PF4J and Vert.x are visible) and writes a jar with a PF4J manifest, a
 * {@code META-INF/extensions.idx} and any extra entry.
 *
 * <p>Everything can be made wrong on purpose: drop or change a manifest field, list an
 * extension that does not exist, leave a compiled class out of the jar, bundle a copy of a host
 * class. Third-party libraries are bundled whole, as a shading build would ({@link #bundleJar}).
 *
 * <pre>{@code
 * PluginJarBuilder.plugin("acme-echo")
 *     .source("package acme; @org.pf4j.Extension public class Echo implements Provider { ... }")
 *     .extension("acme.Echo")
 *     .writeTo(dir.resolve("acme-echo.jar"));
 * }</pre>
 */
public final class PluginJarBuilder {

  public static final String PLUGIN_ID = "Plugin-Id";
  public static final String PLUGIN_VERSION = "Plugin-Version";
  public static final String PLUGIN_PROVIDER = "Plugin-Provider";
  public static final String PLUGIN_CLASS = "Plugin-Class";
  public static final String PLUGIN_DESCRIPTION = "Plugin-Description";

  private static final Pattern PACKAGE = Pattern.compile("^\\s*package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
  private static final Pattern PUBLIC_TYPE =
      Pattern.compile("public\\s+(?:(?:final|abstract|sealed|non-sealed|strictfp)\\s+)*(?:class|interface|enum|record|@interface)\\s+(\\w+)");
  private static final Pattern ANY_TYPE = Pattern.compile("\\b(?:class|interface|enum|record)\\s+(\\w+)");

  private final Map<String, String> manifest = new LinkedHashMap<>();
  private final Map<String, String> sources = new LinkedHashMap<>();
  private final Set<String> extensions = new LinkedHashSet<>();
  private final Set<String> omitted = new LinkedHashSet<>();
  private final Map<String, byte[]> entries = new LinkedHashMap<>();

  private PluginJarBuilder() {
  }

  /** A valid descriptor: {@code Plugin-Id: id}, {@code Plugin-Version: 1.0.0}, {@code Plugin-Provider: Faultline tests}. */
  public static PluginJarBuilder plugin(String id) {
    return new PluginJarBuilder().manifest(PLUGIN_ID, id).manifest(PLUGIN_VERSION, "1.0.0")
        .manifest(PLUGIN_PROVIDER, "Faultline tests");
  }

  /** A jar whose manifest holds no PF4J field at all. */
  public static PluginJarBuilder withoutDescriptor() {
    return new PluginJarBuilder();
  }

  public PluginJarBuilder version(String version) {
    return manifest(PLUGIN_VERSION, version);
  }

  public PluginJarBuilder provider(String provider) {
    return manifest(PLUGIN_PROVIDER, provider);
  }

  public PluginJarBuilder description(String description) {
    return manifest(PLUGIN_DESCRIPTION, description);
  }

  /** The {@code org.pf4j.Plugin} subclass PF4J instantiates and starts. */
  public PluginJarBuilder pluginClass(String className) {
    return manifest(PLUGIN_CLASS, className);
  }

  /** Sets any main manifest attribute, valid or not; {@code null} removes it. */
  public PluginJarBuilder manifest(String name, String value) {
    if (value == null) {
      manifest.remove(name);
    } else {
      manifest.put(name, value);
    }
    return this;
  }

  /** Removes a manifest attribute, e.g. {@code without(PLUGIN_ID)}. */
  public PluginJarBuilder without(String manifestAttribute) {
    return manifest(manifestAttribute, null);
  }

  /** A compilation unit; its class name is read from its package and (public) top-level type. */
  public PluginJarBuilder source(String javaSource) {
    sources.put(className(javaSource), javaSource);
    return this;
  }

  /** Lists a class in {@code META-INF/extensions.idx}; the file is written when at least one is listed. */
  public PluginJarBuilder extension(String className) {
    extensions.add(className);
    return this;
  }

  /** Compiles {@code className} but leaves it out of the jar, as a broken build would. */
  public PluginJarBuilder omitClass(String className) {
    omitted.add(className);
    return this;
  }

  /** Bundles the class file of {@code type} as found on the test classpath (e.g. a host API class). */
  public PluginJarBuilder copyClass(Class<?> type) {
    String resource = type.getName().replace('.', '/') + ".class";
    ClassLoader loader = type.getClassLoader() == null ? ClassLoader.getSystemClassLoader() : type.getClassLoader();
    try (InputStream in = loader.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalArgumentException("no class file " + resource + " on the classpath");
      }
      return entry(resource, in.readAllBytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Copies every entry of a library jar into the plugin jar, as a shading build makes a fat
   * jar: classes and resources, but not the library's manifest, signatures or module descriptor
   * (the plugin's manifest is the descriptor; a signature would not match the new jar).
   */
  public PluginJarBuilder bundleJar(Path library) {
    try (ZipFile zip = new ZipFile(library.toFile())) {
      for (ZipEntry e : Collections.list(zip.entries())) {
        if (!e.isDirectory() && bundles(e.getName())) {
          try (InputStream in = zip.getInputStream(e)) {
            entry(e.getName(), in.readAllBytes());
          }
        }
      }
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot bundle " + library, e);
    }
  }

  private static boolean bundles(String entry) {
    String upper = entry.toUpperCase(Locale.ROOT);
    boolean signature = upper.startsWith("META-INF/") && !upper.substring("META-INF/".length()).contains("/")
        && (upper.endsWith(".SF") || upper.endsWith(".DSA") || upper.endsWith(".RSA") || upper.endsWith(".EC"));
    return !signature && !upper.equals("META-INF/MANIFEST.MF") && !entry.endsWith("module-info.class");
  }

  /** Any extra jar entry (a resource, a hand-made class file, a bogus extensions.idx). */
  public PluginJarBuilder entry(String name, byte[] content) {
    entries.put(name, content.clone());
    return this;
  }

  public PluginJarBuilder entry(String name, String content) {
    return entry(name, content.getBytes(StandardCharsets.UTF_8));
  }

  /** Compiles the sources and writes the jar (parent folders are created); returns {@code jar}. */
  public Path writeTo(Path jar) {
    Map<String, byte[]> classes = compile();
    Manifest mf = new Manifest();
    mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.forEach((name, value) -> mf.getMainAttributes().put(new Attributes.Name(name), value));
    Map<String, byte[]> content = new LinkedHashMap<>();
    classes.forEach((name, bytes) -> {
      if (!omitted.contains(name)) {
        content.put(name.replace('.', '/') + ".class", bytes);
      }
    });
    if (!extensions.isEmpty()) {
      content.put("META-INF/extensions.idx", (String.join("\n", extensions) + "\n").getBytes(StandardCharsets.UTF_8));
    }
    content.putAll(entries);
    try {
      if (jar.getParent() != null) {
        Files.createDirectories(jar.getParent());
      }
      try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file, mf)) {
        for (Map.Entry<String, byte[]> e : content.entrySet()) {
          out.putNextEntry(new JarEntry(e.getKey()));
          out.write(e.getValue());
          out.closeEntry();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + jar, e);
    }
    return jar;
  }

  /** Class name to bytes, nested and anonymous classes included. */
  private Map<String, byte[]> compile() {
    if (sources.isEmpty()) {
      return Map.of();
    }
    JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
    if (compiler == null) {
      throw new IllegalStateException("no Java compiler: run the tests on a JDK, not a JRE");
    }
    DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
    Map<String, ByteArrayOutputStream> output = new LinkedHashMap<>();
    List<JavaFileObject> units = new ArrayList<>();
    sources.forEach((name, code) -> units.add(new Source(name, code)));
    List<String> options = List.of("-classpath", System.getProperty("java.class.path"), "--release", "17",
        "-proc:none", "-Xlint:none", "-nowarn");
    try (StandardJavaFileManager standard = compiler.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8);
         JavaFileManager files = new InMemoryOutput(standard, output)) {
      if (!compiler.getTask(null, files, diagnostics, options, null, units).call()) {
        throw new IllegalStateException("plugin sources do not compile:\n" + diagnostics.getDiagnostics().stream()
            .map(Object::toString).collect(Collectors.joining("\n")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Map<String, byte[]> classes = new LinkedHashMap<>();
    output.forEach((name, bytes) -> classes.put(name, bytes.toByteArray()));
    for (String name : omitted) {
      if (!classes.containsKey(name)) {
        throw new IllegalArgumentException("cannot omit " + name + ": no such compiled class; got " + classes.keySet());
      }
    }
    return classes;
  }

  private static String className(String source) {
    Matcher pkg = PACKAGE.matcher(source);
    Matcher type = PUBLIC_TYPE.matcher(source);
    if (!type.find()) {
      type = ANY_TYPE.matcher(source);
      if (!type.find()) {
        throw new IllegalArgumentException("no class, interface, enum or record in source:\n" + source);
      }
    }
    return (pkg.find() ? pkg.group(1) + "." : "") + type.group(1);
  }

  private static final class Source extends SimpleJavaFileObject {
    private final String code;

    Source(String className, String code) {
      super(URI.create("string:///" + className.replace('.', '/') + Kind.SOURCE.extension), Kind.SOURCE);
      this.code = code;
    }

    @Override
    public CharSequence getCharContent(boolean ignoreEncodingErrors) {
      return code;
    }
  }

  private static final class InMemoryOutput extends ForwardingJavaFileManager<StandardJavaFileManager> {
    private final Map<String, ByteArrayOutputStream> output;

    InMemoryOutput(StandardJavaFileManager standard, Map<String, ByteArrayOutputStream> output) {
      super(standard);
      this.output = output;
    }

    @Override
    public JavaFileObject getJavaFileForOutput(Location location, String className, JavaFileObject.Kind kind,
                                               FileObject sibling) {
      return new SimpleJavaFileObject(URI.create("mem:///" + className.replace('.', '/') + kind.extension), kind) {
        @Override
        public OutputStream openOutputStream() {
          ByteArrayOutputStream bytes = new ByteArrayOutputStream();
          output.put(className, bytes);
          return bytes;
        }
      };
    }
  }
}
