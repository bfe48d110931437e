package io.sparkbackprop.bench;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.SparkContext;
import org.apache.spark.executor.TaskMetrics;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobEnd;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The executors' own time on the tasks of the jobs run under one job group, from Spark's task metrics:
 * the CPU time of the tasks' run (deserialization and result serialization excluded), so that a
 * rate computed from it measures the kernel and not the other processes sharing the machine.
 * Listener events arrive asynchronously; {@link #await} waits until the expected jobs have all ended,
 * and Spark delivers a job's task-end events before its job-end event.
 */
final class TaskTimes extends SparkListener {
    private static final String JOB_GROUP = "spark.jobGroup.id";
    private final SparkContext sc;
    private final String group;
    private final Set<Integer> jobs = ConcurrentHashMap.newKeySet();
    private final Set<Integer> stages = ConcurrentHashMap.newKeySet();
    private final AtomicLong jobsEnded = new AtomicLong();
    private final AtomicLong cpuNanos = new AtomicLong();
    private final AtomicLong runMillis = new AtomicLong();
    private final AtomicLong tasks = new AtomicLong();

    private TaskTimes(SparkContext sc, String group) {
        this.sc = sc;
        this.group = group;
    }

    /** Starts counting the jobs this thread runs from now until {@link #await}. */
    static TaskTimes start(SparkContext sc, String group) {
        TaskTimes t = new TaskTimes(sc, group);
        sc.addSparkListener(t);
        sc.setJobGroup(group, "bench: " + group, false);
        return t;
    }

    @Override
    public void onJobStart(SparkListenerJobStart e) {
        if (e.properties() == null || !group.equals(e.properties().getProperty(JOB_GROUP))) return;
        jobs.add(e.jobId());
        for (Object id : CollectionConverters.asJava(e.stageIds())) stages.add((Integer) id);
    }

    @Override
    public void onTaskEnd(SparkListenerTaskEnd e) {
        TaskMetrics m = e.taskMetrics();
        if (m == null || !stages.contains(e.stageId())) return;
        cpuNanos.addAndGet(m.executorCpuTime());
        runMillis.addAndGet(m.executorRunTime());
        tasks.incrementAndGet();
    }

    @Override
    public void onJobEnd(SparkListenerJobEnd e) {
        if (jobs.contains(e.jobId())) jobsEnded.incrementAndGet();
    }

    /** Stops counting new jobs and waits (up to a minute) until {@code expectedJobs} of them have been reported ended. */
    TaskTimes await(int expectedJobs) {
        sc.clearJobGroup();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (jobsEnded.get() < expectedJobs && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        sc.removeSparkListener(this);
        if (jobsEnded.get() < expectedJobs) {
            throw new IllegalStateException("Spark reported " + jobsEnded.get() + " of " + expectedJobs + " jobs of group " + group + " ended");
        }
        return this;
    }

    double cpuSeconds() {
        return cpuNanos.get() / 1e9;
    }

    double runSeconds() {
        return runMillis.get() / 1e3;
    }

    long tasks() {
        return tasks.get();
    }
}
