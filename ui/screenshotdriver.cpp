#include "screenshotdriver.h"

#include "mainwindow.h"
#include "models/broadcasthistorymodel.h"
#include "models/eventfilterproxymodel.h"
#include "models/eventmodel.h"
#include "widgets/broadcastview.h"
#include "widgets/chatview.h"
#include "widgets/connectionsview.h"
#include "widgets/eventstreamview.h"
#include "widgets/roomsview.h"
#include "widgets/videosview.h"

#include "server/core/logging.h"

#include <QFile>
#include <QPushButton>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>

namespace mmv::ui {

namespace {
constexpr int PollMs = 300;
constexpr int SettleMs = 1200; ///< a refresh of the connections (1 s) and a repaint
} // namespace

ScreenshotDriver *ScreenshotDriver::createFromEnvironment(MainWindow *window)
{
    const QString directory = qEnvironmentVariable("MMV_SCREENSHOT_DIR");
    if (directory.isEmpty())
        return nullptr;
    QSize size(1280, 800);
    const QStringList parts = qEnvironmentVariable("MMV_SCREENSHOT_SIZE").split(QLatin1Char('x'));
    if (parts.size() == 2 && parts.at(0).toInt() > 0 && parts.at(1).toInt() > 0)
        size = QSize(parts.at(0).toInt(), parts.at(1).toInt());
    return new ScreenshotDriver(window, directory, size);
}

ScreenshotDriver::ScreenshotDriver(MainWindow *window, const QString &directory, QSize size)
    : QObject(window)
    , m_window(window)
    , m_dir(directory)
    , m_poll(new QTimer(this))
{
    m_dir.mkpath(QStringLiteral("."));
    window->resize(size);
    m_poll->setInterval(PollMs);
    connect(m_poll, &QTimer::timeout, this, &ScreenshotDriver::poll);
    m_poll->start();
    qCInfo(lcUi) << "screenshots on request in" << m_dir.absolutePath();
}

void ScreenshotDriver::poll()
{
    QFile trigger(m_dir.filePath(QStringLiteral("capture")));
    if (!trigger.exists() || !trigger.open(QIODevice::ReadOnly))
        return;
    const QString chatSession = QString::fromUtf8(trigger.readLine()).trimmed();
    trigger.close();
    trigger.remove();
    QFile::remove(m_dir.filePath(QStringLiteral("capture.done")));
    m_poll->stop();
    start(chatSession);
}

void ScreenshotDriver::start(const QString &chatSession)
{
    if (!m_window)
        return;
    if (!chatSession.isEmpty())
        m_window->chatView()->join(chatSession);
    m_tab = 0;
    prepare(m_tab);
}

void ScreenshotDriver::prepare(int tab)
{
    QTabWidget *tabs = m_window->tabs();
    QWidget *page = tabs->widget(tab);
    const auto selectFirstRow = [](QTableView *view) {
        if (view && view->model()->rowCount() > 0 && !view->currentIndex().isValid())
            view->selectRow(0);
    };
    if (page == m_window->connectionsView()) {
        selectFirstRow(m_window->connectionsView()->view());
    } else if (page == m_window->roomsView()) {
        selectFirstRow(page->findChild<QTableView *>(QStringLiteral("roomsTable")));
    } else if (page == m_window->videosView()) {
        selectFirstRow(m_window->videosView()->view());
    } else if (page == m_window->broadcastView()) {
        // A sent broadcast in the history, with its delivered_to count once answered.
        BroadcastView *broadcast = m_window->broadcastView();
        if (broadcast->history()->rowCount() == 0) {
            broadcast->applyTemplate(BroadcastView::Template::Notification);
            broadcast->send();
        }
    } else if (page == m_window->eventStreamView()) {
        // The newest request that got its reply, frozen so the picture shows both.
        EventStreamView *events = m_window->eventStreamView();
        EventModel *model = events->model();
        for (int row = model->rowCount() - 1; row >= 0; --row) {
            if (!EventModel::isAck(model->record(row)) && model->pairedRow(row) >= 0) {
                events->view()->setCurrentIndex(
                    events->proxy()->mapFromSource(model->index(row, 0)));
                events->view()->scrollTo(events->view()->currentIndex());
                break;
            }
        }
        if (auto *pause = events->findChild<QPushButton *>(QStringLiteral("pauseEventsButton")))
            pause->setChecked(true);
    }
    tabs->setCurrentIndex(tab);
    QTimer::singleShot(SettleMs, this, &ScreenshotDriver::grabAndContinue);
}

void ScreenshotDriver::grabAndContinue()
{
    if (!m_window)
        return;
    QTabWidget *tabs = m_window->tabs();
    static const char *const names[]
        = { "overview", "connections", "rooms", "events", "broadcast", "videos", "chat" };
    const QString name = m_tab < int(std::size(names)) ? QString::fromLatin1(names[m_tab])
                                                       : QString::number(m_tab);
    const QString path = m_dir.filePath(QStringLiteral("dashboard-%1.png").arg(name));
    if (!m_window->grab().save(path))
        qCWarning(lcUi) << "cannot write" << path;
    if (tabs->widget(m_tab) == m_window->eventStreamView()) {
        if (auto *pause = m_window->eventStreamView()->findChild<QPushButton *>(
                QStringLiteral("pauseEventsButton")))
            pause->setChecked(false);
    }
    if (++m_tab < tabs->count()) {
        prepare(m_tab);
        return;
    }
    QFile done(m_dir.filePath(QStringLiteral("capture.done")));
    if (done.open(QIODevice::WriteOnly))
        done.write("ok\n");
    m_poll->start();
}

} // namespace mmv::ui
