package io.sparkbackprop;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.sparkbackprop.cli.Main;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import picocli.CommandLine;

/**
 * No Docker engine runs where the tests run, so docker/ is checked by what its files do rather than how they
 * are spelt. The Dockerfile's instructions are parsed and its COPYs carried out into a temporary folder
 * standing for the image's file system; there the compose file's submit command runs submit.sh (found on the
 * image's PATH, in its dry run) against a stand-in for the base image's spark-submit. Checked: every COPY
 * source is in the build context the compose file gives and gets past .dockerignore, which sends nothing
 * else (not target/'s other 400 MB, not the test data); the jar copied is the one the pom builds and the one
 * SPARK_BACKPROP_JAR names; every program the services start is a file the image has; the image is the
 * official one of the pom's Spark, Scala and Java; and the compose cluster can run the job: workers
 * registering at the master's address, with room for an executor of conf/'s size and, together, the cores
 * the job asks for; the driver reachable by the name executors get; the app's arguments a valid train
 * command writing into the mounted folder; ports published on loopback only.
 *
 * <p>The compose file is read with SnakeYAML (a test dependency; Spark 4.1 brings no YAML library), which resolves
 * its anchors and merge keys as Docker Compose does.
 */
class DockerFilesTest {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Path DOCKER = ROOT.resolve("docker");
    /** The apache/spark images' SPARK_HOME, where their spark-class and spark-submit are (taken on trust: no engine here). */
    private static final String BASE_SPARK_HOME = "/opt/spark";

    @TempDir
    Path image;

    // --- The Dockerfile. ---------------------------------------------------------------------------------

    private record Instruction(String keyword, String args) {
    }

    /** Instructions in order: comments dropped, continuation lines joined, keywords upper-cased. */
    private static List<Instruction> dockerfile() throws IOException {
        List<Instruction> out = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Files.readAllLines(DOCKER.resolve("Dockerfile"))) {
            String t = line.strip();
            if (t.startsWith("#") || (t.isEmpty() && current.length() == 0)) continue;
            boolean continues = t.endsWith("\\");
            current.append(continues ? t.substring(0, t.length() - 1) : t).append(' ');
            if (continues) continue;
            String s = current.toString().strip();
            current.setLength(0);
            String[] parts = s.split("\\s+", 2);
            out.add(new Instruction(parts[0].toUpperCase(), parts.length > 1 ? parts[1] : ""));
        }
        assertEquals(0, current.length(), "the Dockerfile ends inside a continuation");
        return out;
    }

    /** Words of an instruction, double quotes honoured; the exec (JSON) form as its list. */
    private static List<String> words(String args) throws IOException {
        if (args.startsWith("[")) return List.of(new ObjectMapper().readValue(args, String[].class));
        List<String> out = new ArrayList<>();
        Matcher m = Pattern.compile("(?:[^\\s\"]|\"[^\"]*\")+").matcher(args);
        while (m.find()) out.add(m.group().replace("\"", ""));
        return out;
    }

    private static String substitute(String s, Map<String, String> vars) {
        Matcher m = Pattern.compile("\\$\\{(\\w+)}|\\$(\\w+)").matcher(s);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String name = m.group(1) != null ? m.group(1) : m.group(2);
            m.appendReplacement(out, Matcher.quoteReplacement(vars.getOrDefault(name, m.group())));
        }
        return m.appendTail(out).toString();
    }

    /** A COPY: its sources (relative to the build context) and its destination in the image. */
    private record Copy(List<String> sources, String destination) {
    }

    private static List<Copy> copies(List<Instruction> instructions) throws IOException {
        List<Copy> out = new ArrayList<>();
        for (Instruction i : instructions) {
            if (!i.keyword().equals("COPY") && !i.keyword().equals("ADD")) continue;
            List<String> w = new ArrayList<>(words(i.args()));
            assertFalse(w.stream().anyMatch(x -> x.startsWith("--from")), "a single-stage build copies from the context only: " + i);
            w.removeIf(x -> x.startsWith("--"));
            assertTrue(w.size() >= 2, i.toString());
            out.add(new Copy(w.subList(0, w.size() - 1), w.get(w.size() - 1)));
        }
        return out;
    }

    /** The ENV variables the Dockerfile sets, in order, with ${...} of earlier ones substituted. */
    private static Map<String, String> env(List<Instruction> instructions) throws IOException {
        Map<String, String> env = new LinkedHashMap<>();
        for (Instruction i : instructions) {
            if (!i.keyword().equals("ENV")) continue;
            for (String w : words(i.args())) {
                int eq = w.indexOf('=');
                assertTrue(eq > 0, "ENV KEY=VALUE expected: " + i);
                env.put(w.substring(0, eq), substitute(w.substring(eq + 1), env));
            }
        }
        return env;
    }

    // --- The pom. ----------------------------------------------------------------------------------------

    private static Element child(Element parent, String tag) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) return e;
        }
        return null;
    }

    private static Element pom() throws Exception {
        return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(ROOT.resolve("pom.xml").toFile()).getDocumentElement();
    }

    private static String pom(String... path) throws Exception {
        Element e = pom();
        for (String tag : path) {
            e = child(e, tag);
            assertNotNull(e, "pom.xml has no " + String.join("/", path));
        }
        return e.getTextContent().strip();
    }

    /** What `mvn package` builds: target/ARTIFACT-VERSION.jar, the pom naming no other finalName. */
    private static String jarMavenBuilds() throws Exception {
        assertEquals(null, child(child(pom(), "build"), "finalName"), "the pom renames the jar");
        return "target/" + pom("artifactId") + "-" + pom("version") + ".jar";
    }

    // --- .dockerignore, as Docker applies it. --------------------------------------------------------------

    /** Docker's rule: the last pattern matching the path or one of its parent folders decides; `!` lets through. */
    private static boolean sentToTheBuild(String relative, List<String> patterns) {
        boolean excluded = false;
        for (String pattern : patterns) {
            boolean let = pattern.startsWith("!");
            String glob = Path.of(let ? pattern.substring(1) : pattern).normalize().toString().replaceFirst("^/", "");
            PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
            boolean matches = false;
            for (Path p = Path.of(relative); p != null && !matches; p = p.getParent()) matches = m.matches(p);
            if (matches) excluded = !let;
        }
        return !excluded;
    }

    private static List<String> dockerignore() throws IOException {
        return Files.readAllLines(ROOT.resolve(".dockerignore")).stream().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("#")).toList();
    }

    // --- The compose file. -----------------------------------------------------------------------------------

    /** The compose file as SnakeYAML reads it (anchors and merge keys resolved); a tab or a syntax error fails the test. */
    private static Map<String, Object> readYaml(Path file) throws IOException {
        String text = Files.readString(file);
        assertFalse(text.contains("\t"), file + ": a tab");
        org.yaml.snakeyaml.LoaderOptions options = new org.yaml.snakeyaml.LoaderOptions();
        options.setAllowDuplicateKeys(false);
        Object doc = new org.yaml.snakeyaml.Yaml(options).load(text);
        assertTrue(doc instanceof Map, file + " is not a mapping");
        @SuppressWarnings("unchecked")
        Map<String, Object> map = (Map<String, Object>) doc;
        return map;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Map<String, Object>> services() throws IOException {
        Object services = readYaml(DOCKER.resolve("docker-compose.yml")).get("services");
        assertTrue(services instanceof Map, "no services");
        return (Map<String, Map<String, Object>>) services;
    }

    @SuppressWarnings("unchecked")
    private static List<String> list(Map<String, Object> service, String key) {
        Object v = service.get(key);
        assertTrue(v instanceof List, key + " is not a list: " + v);
        return (List<String>) v;
    }

    /** The value after OPTION in a command line. */
    private static String option(List<String> command, String option) {
        int i = command.indexOf(option);
        assertTrue(i >= 0 && i + 1 < command.size(), option + " not in " + command);
        return command.get(i + 1);
    }

    private static long megabytes(String size) {
        Matcher m = Pattern.compile("(\\d+)([mg])", Pattern.CASE_INSENSITIVE).matcher(size.strip());
        assertTrue(m.matches(), size);
        return Long.parseLong(m.group(1)) * (m.group(2).equalsIgnoreCase("g") ? 1024 : 1);
    }

    // --- The tests. ------------------------------------------------------------------------------------------

    @Test
    void theImageIsTheOfficialSparkImageOfThePomsSparkScalaAndJava() throws Exception {
        List<Instruction> instructions = dockerfile();
        Map<String, String> args = new LinkedHashMap<>();
        String from = null;
        for (Instruction i : instructions) {
            if (i.keyword().equals("ARG") && from == null) {
                String[] kv = i.args().split("=", 2);
                args.put(kv[0], kv.length > 1 ? kv[1] : "");
            } else if (i.keyword().equals("FROM")) {
                assertEquals(null, from, "one stage");
                from = substitute(i.args(), args);
            }
        }
        assertEquals("apache/spark:" + pom("properties", "spark.version") + "-scala" + pom("properties", "scala.binary.version")
                + "-java" + pom("properties", "maven.compiler.release") + "-ubuntu", from);
        // Drivers in the image get the OpenBLAS threads that conf/ gives executors.
        Properties defaults = new Properties();
        try (Reader r = Files.newBufferedReader(ROOT.resolve("conf/spark-defaults.conf"))) {
            defaults.load(r);
        }
        assertEquals(defaults.getProperty("spark.executorEnv.OPENBLAS_NUM_THREADS"), env(instructions).get("OPENBLAS_NUM_THREADS"));
    }

    @Test
    void everyCopySourceIsInTheBuildContextAndDockerignoreSendsNothingElse() throws Exception {
        // The build context the compose file gives, and the Dockerfile in it.
        List<Map<String, Object>> built = services().values().stream().filter(s -> s.containsKey("build")).toList();
        assertEquals(1, built.size(), "one service builds the image, the others share it");
        @SuppressWarnings("unchecked")
        Map<String, Object> build = (Map<String, Object>) built.get(0).get("build");
        Path context = DOCKER.resolve((String) build.get("context")).normalize();
        assertEquals(ROOT, context);
        assertEquals(DOCKER.resolve("Dockerfile"), context.resolve((String) build.get("dockerfile")).normalize());

        List<Copy> copies = copies(dockerfile());
        List<String> sources = copies.stream().flatMap(c -> c.sources().stream()).map(s -> s.replaceFirst("/$", "")).toList();
        assertFalse(sources.isEmpty());
        String jar = jarMavenBuilds();
        List<String> ignore = dockerignore();
        for (String source : sources) {
            Path p = context.resolve(source).normalize();
            assertTrue(p.startsWith(context) && !source.contains("*"), source + " is not a plain path in the context");
            // The jar exists once `mvn package` ran; everything else is in the repository.
            assertTrue(source.equals(jar) || Files.exists(p), source + " is not in the repository");
            assertTrue(sentToTheBuild(source, ignore), ".dockerignore drops " + source);
            if (Files.isDirectory(p)) {
                try (Stream<Path> files = Files.walk(p)) {
                    files.filter(Files::isRegularFile).forEach(f -> assertTrue(sentToTheBuild(ROOT.relativize(f).toString(), ignore),
                            ".dockerignore drops " + f));
                }
            }
        }
        // Everything else in the folder (target/'s other contents, the test data, sources) stays behind.
        List<String> sent = new ArrayList<>();
        Files.walkFileTree(ROOT, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
                return d.equals(ROOT.resolve(".git")) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                String relative = ROOT.relativize(f).toString();
                if (a.isRegularFile() && sentToTheBuild(relative, ignore)) sent.add(relative);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path f, IOException e) {
                return FileVisitResult.CONTINUE; // a file of a running build that went away meanwhile
            }
        });
        for (String f : sent) {
            assertTrue(sources.stream().anyMatch(s -> f.equals(s) || f.startsWith(s + "/")), f + " is sent to the build but never copied");
        }
        for (String f : new String[] {"target/spark-home/jars/spark-core_2.13-4.1.0.jar", "target/classes/io/sparkbackprop/cli/Main.class",
            TestDatasets.DIR.resolve("spam-assassin.jsonl.gz").toString(), "src/main/java/io/sparkbackprop/cli/Main.java", "pom.xml"}) {
            assertFalse(sentToTheBuild(f, ignore), f + " is sent to the build");
        }
    }

    /** Where the image's shell finds PROGRAM: the file in the image folder, or null. */
    private Path program(String program, List<String> path) {
        for (String dir : program.contains("/") ? List.of("/") : path) {
            if (!dir.startsWith("/")) continue; // the base image's part of PATH
            Path p = image.resolve(dir.substring(1)).resolve(program.replaceFirst("^/", ""));
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return p;
        }
        return null;
    }

    @Test
    void inTheImageTheComposeClusterCanRunTheJob() throws Exception {
        List<Instruction> instructions = dockerfile();
        List<Copy> copies = copies(instructions);
        // The image's files from this repository, as the COPYs lay them out (modes kept, as COPY keeps them).
        String jar = jarMavenBuilds();
        for (Copy c : copies) {
            for (String source : c.sources()) {
                Path from = ROOT.resolve(source);
                Path to = image.resolve(c.destination().substring(1));
                if (Files.isDirectory(from)) {
                    try (Stream<Path> files = Files.walk(from)) {
                        for (Path f : files.filter(Files::isRegularFile).toList()) {
                            Path target = to.resolve(from.relativize(f).toString());
                            Files.createDirectories(target.getParent());
                            Files.copy(f, target, StandardCopyOption.COPY_ATTRIBUTES);
                        }
                    }
                } else {
                    Path target = c.destination().endsWith("/") ? to.resolve(from.getFileName().toString()) : to;
                    Files.createDirectories(target.getParent());
                    if (Files.exists(from)) Files.copy(from, target, StandardCopyOption.COPY_ATTRIBUTES);
                    else if (source.equals(jar)) Files.createFile(target); // before `mvn package`: a stand-in
                    else throw new AssertionError(source + " is missing");
                }
            }
        }
        // The base image's spark-submit, standing in: submit.sh's dry run only checks that it is executable.
        Path sparkSubmit = image.resolve(BASE_SPARK_HOME.substring(1)).resolve("bin/spark-submit");
        Files.createDirectories(sparkSubmit.getParent());
        Files.writeString(sparkSubmit, "#!/bin/sh\nexit 1\n");
        Files.setPosixFilePermissions(sparkSubmit, PosixFilePermissions.fromString("rwxr-xr-x"));

        Map<String, String> env = env(instructions);
        String jarInImage = env.get("SPARK_BACKPROP_JAR");
        assertNotNull(jarInImage, "the image names its jar for submit.sh");
        assertTrue(copies.stream().anyMatch(c -> c.sources().equals(List.of(jar)) && c.destination().equals(jarInImage)),
                "SPARK_BACKPROP_JAR=" + jarInImage + " is not where the jar Maven builds (" + jar + ") is copied");
        List<String> pathInImage = List.of(env.getOrDefault("PATH", "${PATH}").split(":"));

        Map<String, Map<String, Object>> services = services();
        assertEquals(1, services.values().stream().map(s -> s.get("image")).distinct().count(), "one image for every service");
        assertNotNull(services.values().iterator().next().get("image"));

        // Every program the image starts (an ENTRYPOINT or CMD of the Dockerfile, a service's command) is a file
        // the image has: one of the base image's Spark scripts, or copied here and executable.
        for (Instruction i : instructions) {
            if (!i.keyword().equals("ENTRYPOINT") && !i.keyword().equals("CMD")) continue;
            String program = words(i.args()).get(0);
            assertTrue(program.startsWith(BASE_SPARK_HOME + "/bin/") || program(program, pathInImage) != null,
                    i + " starts " + program + ", which is not an executable file of the image (PATH " + pathInImage + ")");
        }
        Map<String, Path> programs = new LinkedHashMap<>();
        for (var s : services.entrySet()) {
            String program = list(s.getValue(), "command").get(0);
            if (program.startsWith(BASE_SPARK_HOME + "/bin/")) continue;
            Path found = program(program, pathInImage);
            assertNotNull(found, s.getKey() + " runs " + program + ", which is not an executable file of the image (PATH " + pathInImage + ")");
            programs.put(s.getKey(), found);
        }

        // The master, the workers registering with it, and the cores and memory they offer.
        Properties defaults = new Properties();
        try (Reader r = Files.newBufferedReader(ROOT.resolve("conf/spark-defaults.conf"))) {
            defaults.load(r);
        }
        String masterUrl = null;
        String masterName = null;
        int workerCores = 0;
        List<String> workers = new ArrayList<>();
        for (var s : services.entrySet()) {
            List<String> command = list(s.getValue(), "command");
            if (command.size() < 2 || !command.get(0).equals(BASE_SPARK_HOME + "/bin/spark-class")) continue;
            Class.forName(command.get(1)).getMethod("main", String[].class); // a class Spark has
            assertEquals(s.getValue().get("hostname"), option(command, "--host"), s.getKey() + " advertises its host name");
            if (command.get(1).equals("org.apache.spark.deploy.master.Master")) {
                assertEquals(null, masterUrl, "one master");
                masterUrl = "spark://" + option(command, "--host") + ":" + option(command, "--port");
                masterName = s.getKey();
                String webUi = option(command, "--webui-port");
                for (String port : list(s.getValue(), "ports")) {
                    String[] parts = port.split(":");
                    assertEquals(3, parts.length, port);
                    assertEquals("127.0.0.1", parts[0], "published on the host's loopback only: " + port);
                    assertEquals(webUi, parts[2], "the master listens on " + port);
                }
            } else {
                assertEquals("org.apache.spark.deploy.worker.Worker", command.get(1));
                workers.add(s.getKey());
                workerCores += Integer.parseInt(option(command, "--cores"));
                // A worker offering less memory than an executor asks for never starts one: the job would hang.
                assertTrue(megabytes(option(command, "--memory")) >= megabytes(defaults.getProperty("spark.executor.memory")),
                        s.getKey() + " has no room for an executor of " + defaults.getProperty("spark.executor.memory"));
            }
        }
        assertNotNull(masterUrl, "no master");
        assertEquals(2, workers.size(), "two workers");
        for (String w : workers) {
            List<String> command = list(services.get(w), "command");
            assertEquals(masterUrl, command.get(command.size() - 1), w + " registers with the master");
            assertTrue(list(services.get(w), "depends_on").contains(masterName));
        }

        // The submit service: submit.sh from the image's PATH, in its dry run, in the image's layout.
        List<String> submitters = programs.keySet().stream().toList();
        assertEquals(1, submitters.size(), "one service submits the job");
        Map<String, Object> submit = services.get(submitters.get(0));
        assertTrue(list(submit, "depends_on").containsAll(workers), "the job waits for the workers");
        List<String> command = new ArrayList<>(list(submit, "command"));
        command.set(0, programs.get(submitters.get(0)).toString());
        Path workDir = image.resolve("opt/spark/work-dir");
        Files.createDirectories(workDir);
        ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("SPARK_") || k.equals("OPENBLAS_NUM_THREADS"));
        for (var e : env.entrySet()) {
            String v = e.getValue();
            if (e.getKey().equals("PATH")) continue;
            pb.environment().put(e.getKey(), v.startsWith("/") ? image.resolve(v.substring(1)).toString() : v);
        }
        pb.environment().put("SPARK_HOME", image.resolve(BASE_SPARK_HOME.substring(1)).toString());
        pb.environment().put("SPARK_BACKPROP_DRY_RUN", "1");
        Path out = image.resolve("out.txt");
        Path err = image.resolve("err.txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("submit.sh did not finish");
        }
        assertEquals(0, p.exitValue(), Files.readString(err));
        List<String> run = Files.readAllLines(out, StandardCharsets.UTF_8).stream().filter(l -> !l.startsWith("# ")).toList();
        String opt = image.resolve("opt").toString();
        assertEquals(sparkSubmit.toString(), run.get(0), "the base image's spark-submit");
        assertEquals(masterUrl, option(run, "--master"));
        assertEquals(workerCores, Integer.parseInt(option(run, "--total-executor-cores")), "the job takes every worker core");
        assertTrue(run.contains("spark.driver.host=" + submit.get("hostname")), "executors reach the driver by its host name: " + run);
        Path properties = Path.of(option(run, "--properties-file"));
        assertTrue(properties.startsWith(opt) && Files.readString(properties).equals(Files.readString(ROOT.resolve("conf/spark-defaults.conf"))),
                "the image's conf/spark-defaults.conf: " + properties);
        String log = option(run, "--driver-java-options").replaceFirst("^-Dlog4j2.configurationFile=file:", "");
        assertTrue(log.startsWith(opt) && Files.isRegularFile(Path.of(log)), "the image's conf/log4j2.properties: " + log);
        int main = run.indexOf("--class");
        assertEquals("io.sparkbackprop.cli.Main", run.get(main + 1));
        assertEquals(image.resolve(jarInImage.substring(1)).toString(), run.get(main + 2), "the jar the image copied");
        // The app's arguments are a train command (parsed, not run) writing into the folder mounted from the repository.
        CommandLine.ParseResult parsed = new CommandLine(new Main()).parseArgs(run.subList(main + 3, run.size()).toArray(String[]::new));
        assertEquals("train", parsed.subcommand().commandSpec().name());
        CommandLine.Model.OptionSpec outputOption = parsed.subcommand().matchedOption("--output");
        assertNotNull(outputOption, "train --output");
        String output = outputOption.stringValues().get(0);
        boolean mounted = false;
        for (String volume : list(submit, "volumes")) {
            String[] parts = volume.split(":");
            if (output.startsWith(parts[1] + "/")) mounted = DOCKER.resolve(parts[0]).normalize().startsWith(ROOT);
        }
        assertTrue(mounted, "--output " + output + " is not in a folder mounted from the repository");
    }
}
