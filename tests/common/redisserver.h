#pragma once

// A real redis-server for tests: started on a free loopback port in a temporary directory,
// without persistence of its own (--save '' --appendonly no), and stopped, crashed, paused or
// restarted on the same port by the test. Readiness is Redis's own "Ready to accept
// connections" line followed by an answered PING, never a fixed sleep.

#include <QByteArray>
#include <QDeadlineTimer>
#include <QHostAddress>
#include <QProcess>
#include <QStandardPaths>
#include <QStringList>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <csignal>
#include <memory>

#include <signal.h>
#include <sys/prctl.h>

class RedisServer
{
public:
    RedisServer() = default;
    RedisServer(const RedisServer &) = delete;
    RedisServer &operator=(const RedisServer &) = delete;
    ~RedisServer()
    {
        if (m_paused)
            resume();
        kill();
    }

    static QString executable()
    {
        return QStandardPaths::findExecutable(QStringLiteral("redis-server"));
    }
    static bool isInstalled() { return !executable().isEmpty(); }

    /// Starts redis-server on `port` (0: a free one) with `extraArguments` appended, e.g.
    /// {"--requirepass", "secret"}. Waits until it answers. False on failure (see errorString()).
    bool start(const QStringList &extraArguments = {}, quint16 port = 0)
    {
        m_extra = extraArguments;
        for (int attempt = 0; attempt < 5; ++attempt) {
            m_port = port ? port : freePort();
            if (launch())
                return true;
            if (port) // the port was asked for: do not silently move
                return false;
        }
        return false;
    }

    /// Starts it again on the same port with the same arguments (the data set of a graceful
    /// stop() is loaded back; a kill() loses it).
    bool restart() { return start(m_extra, m_port); }

    /// Graceful stop: SHUTDOWN SAVE writes the data set to the test's directory first, as a
    /// production Redis with persistence does when it is restarted. Runs the event loop while
    /// it waits, so the code under test keeps working meanwhile.
    bool stop(int timeoutMs = 10000)
    {
        if (!isRunning())
            return true;
        if (!sendCommand("SHUTDOWN SAVE\r\n"))
            return false;
        return waitForExit(timeoutMs);
    }

    /// A crash: SIGKILL. The data set is lost.
    void kill()
    {
        if (!m_process || m_process->state() == QProcess::NotRunning)
            return;
        m_process->kill();
        m_process->waitForFinished(10000);
    }

    /// SIGSTOP / SIGCONT: a Redis that accepts connections but answers nothing.
    void pause()
    {
        if (isRunning() && ::kill(pid_t(m_process->processId()), SIGSTOP) == 0)
            m_paused = true;
    }
    void resume()
    {
        if (m_paused && m_process)
            ::kill(pid_t(m_process->processId()), SIGCONT);
        m_paused = false;
    }

    bool isRunning() const { return m_process && m_process->state() == QProcess::Running; }
    quint16 port() const { return m_port; }
    QString url() const { return QStringLiteral("redis://127.0.0.1:%1").arg(m_port); }
    QString directory() const { return m_dir.path(); }
    QString errorString() const { return m_error; }
    QByteArray output() const { return m_output; }

    /// Runs one command through redis-cli (blocking; for checks, not while timing matters).
    /// `options` go before the command, e.g. {"-n", "3"} or {"-a", "secret"}.
    QByteArray cli(const QStringList &command, const QStringList &options = {}) const
    {
        QProcess process;
        QStringList arguments{ QStringLiteral("-h"), QStringLiteral("127.0.0.1"),
                               QStringLiteral("-p"), QString::number(m_port),
                               QStringLiteral("--no-auth-warning") };
        process.start(QStringLiteral("redis-cli"), arguments + options + command);
        process.waitForFinished(10000);
        return process.readAllStandardOutput().trimmed();
    }

    static quint16 freePort()
    {
        QTcpServer server;
        server.listen(QHostAddress::LocalHost, 0);
        return server.serverPort();
    }

private:
    bool launch()
    {
        m_output.clear();
        m_error.clear();
        m_process = std::make_unique<QProcess>();
        m_process->setProcessChannelMode(QProcess::MergedChannels);
        // Dies with the test, even when the test crashes or is killed.
        m_process->setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGKILL); });
        QStringList arguments{ QStringLiteral("--port"),       QString::number(m_port),
                               QStringLiteral("--bind"),       QStringLiteral("127.0.0.1"),
                               QStringLiteral("--save"),       QString(),
                               QStringLiteral("--appendonly"), QStringLiteral("no"),
                               QStringLiteral("--dir"),        m_dir.path(),
                               QStringLiteral("--daemonize"),  QStringLiteral("no"),
                               QStringLiteral("--logfile"),    QString() };
        m_process->start(executable(), arguments + m_extra);
        if (!m_process->waitForStarted(10000)) {
            m_error = m_process->errorString();
            return false;
        }
        const QDeadlineTimer deadline(15000);
        while (!m_output.contains("Ready to accept connections")) {
            if (m_process->state() == QProcess::NotRunning || deadline.hasExpired()) {
                m_output += m_process->readAll();
                m_error
                    = QStringLiteral("redis-server did not start:\n") + QString::fromUtf8(m_output);
                kill();
                return false;
            }
            m_process->waitForReadyRead(int(deadline.remainingTime()));
            m_output += m_process->readAll();
        }
        return sendCommand("PING\r\n", true);
    }

    /// Sends an inline command (after AUTH if --requirepass was given); with `expectReply`,
    /// true only if the server answered.
    bool sendCommand(const QByteArray &command, bool expectReply = false)
    {
        QTcpSocket socket;
        socket.connectToHost(QHostAddress::LocalHost, m_port);
        if (!socket.waitForConnected(5000)) {
            m_error = socket.errorString();
            return false;
        }
        const qsizetype passwordAt = m_extra.indexOf(QStringLiteral("--requirepass"));
        if (passwordAt >= 0 && passwordAt + 1 < m_extra.size()) {
            socket.write("AUTH " + m_extra.at(passwordAt + 1).toUtf8() + "\r\n");
            if (!socket.waitForReadyRead(5000))
                return false;
            socket.readAll();
        }
        socket.write(command);
        socket.flush();
        if (!expectReply) {
            socket.waitForBytesWritten(5000);
            return true;
        }
        if (!socket.waitForReadyRead(5000)) {
            m_error = QStringLiteral("no answer to ") + QString::fromUtf8(command.trimmed());
            return false;
        }
        return !socket.readAll().startsWith('-');
    }

    bool waitForExit(int timeoutMs)
    {
        if (!QTest::qWaitFor([this] { return m_process->state() == QProcess::NotRunning; },
                             timeoutMs)) {
            m_error = QStringLiteral("redis-server did not exit");
            return false;
        }
        m_output += m_process->readAll();
        return true;
    }

    std::unique_ptr<QProcess> m_process;
    QTemporaryDir m_dir;
    QStringList m_extra;
    QByteArray m_output;
    QString m_error;
    quint16 m_port = 0;
    bool m_paused = false;
};
