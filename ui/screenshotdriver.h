#pragma once

#include <QDir>
#include <QObject>
#include <QPointer>
#include <QSize>

class QTimer;

namespace mmv::ui {

class MainWindow;

/// Saves a picture of each tab of the main window on request, for the documentation's
/// screenshots (docs/screenshots/capture.mjs). Off unless the environment asks for it.
///
/// With `MMV_SCREENSHOT_DIR` set, it sizes the window (`MMV_SCREENSHOT_SIZE`, default
/// 1280x800) and watches that directory for a file named `capture`. The file's first line may
/// name a chat session to join. It then shows each tab in turn, selects something worth
/// showing in it (a connection, a room, an event with its reply, a video), lets it paint,
/// saves `dashboard-<tab>.png` and finally writes `capture.done`.
class ScreenshotDriver : public QObject
{
    Q_OBJECT

public:
    static ScreenshotDriver *createFromEnvironment(MainWindow *window);

    ScreenshotDriver(MainWindow *window, const QString &directory, QSize size);

private:
    void poll();
    void start(const QString &chatSession);
    void prepare(int tab);
    void grabAndContinue();

    QPointer<MainWindow> m_window;
    QDir m_dir;
    QTimer *m_poll;
    int m_tab = -1;
};

} // namespace mmv::ui
