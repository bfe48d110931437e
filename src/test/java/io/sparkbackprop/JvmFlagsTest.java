package io.sparkbackprop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/** conf/jvm-flags.txt (read by submit.sh) and the pom's spark.jvm.flags (surefire) must be one list. */
class JvmFlagsTest {

    @Test
    void theTestJvmRunsWithExactlyTheFlagsInConf() {
        List<String> conf = JvmFlags.list();
        List<String> pom = List.of(System.getProperty("spark.jvm.flags", "").trim().split("\\s+"));
        assertEquals(conf, pom, "pom.xml's spark.jvm.flags differs from conf/jvm-flags.txt");
        List<String> running = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String flag : conf) {
            assertEquals(true, running.contains(flag), flag + " is not passed to the test JVM: " + running);
        }
    }
}
