#pragma once

#include "server/core/videotypes.h"

#include <QHash>
#include <QJsonObject>
#include <QPointer>
#include <QWidget>

class QLabel;
class QListView;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSortFilterProxyModel;
class QTableView;

namespace mmv {
class ServerController;
}

namespace mmv::ui {

class ShotModel;
class ShotTimeline;
class VideoModel;

/// The video library and the results of the selected video: add videos (file dialog or drag
/// and drop), start, cancel and delete analyses with a progress bar per job, and the shot
/// timeline with keyframe thumbnails, faces and people per shot and the outline, updating
/// live while the job runs.
class VideosView : public QWidget
{
    Q_OBJECT

public:
    explicit VideosView(ServerController *controller, QWidget *parent = nullptr);

    VideoModel *model() const { return m_model; }
    ShotModel *shots() const { return m_shots; }
    QTableView *view() const { return m_view; }
    QListWidget *outline() const { return m_outline; }
    QString currentVideoId() const;

    /// Asks the server for the library (when it starts listening).
    void refresh();
    void selectVideo(const QString &videoId);

    void handleProcessingStatus(const QJsonObject &status);
    void handleAnalysisResult(const QJsonObject &result);
    void handleContentUpdate(const QJsonObject &update);
    void handleVideoState(const QString &videoId, const QJsonObject &status,
                          const QList<QJsonObject> &results);

Q_SIGNALS:
    /// A line for the status bar until the next one: a file is being added (the copy of a
    /// large one takes a while); the server's answer follows.
    void statusMessage(const QString &message);

protected:
    void dragEnterEvent(QDragEnterEvent *event) override;
    void dropEvent(QDropEvent *event) override;

private:
    void addFiles();
    void addFile(const QString &path);
    /// Cancels every add not answered yet.
    void stopAdding();
    /// Shows the adds under way (or hides their row when there are none).
    void updateAdding();
    void startAnalysis();
    void cancelAnalysis();
    void deleteVideo();
    void showCurrentVideo();
    void updateButtons();
    void updateResultHeader();

    QPointer<ServerController> m_controller;
    /// A file being added: its name and how much of its copy is done.
    struct Adding
    {
        QString name;
        double copied = 0;
    };
    QHash<quint64, Adding> m_adding; ///< the adds not answered yet, by request
    int m_addsAnswered = 0; ///< answered since the row was shown: they count as done in the bar
    VideoModel *m_model;
    QSortFilterProxyModel *m_proxy;
    ShotModel *m_shots;
    QTableView *m_view;
    QPushButton *m_addButton;
    QPushButton *m_startButton;
    QPushButton *m_cancelButton;
    QPushButton *m_deleteButton;
    QWidget *m_addingRow;
    QLabel *m_addingLabel;
    QProgressBar *m_addingProgress;
    QPushButton *m_stopAddingButton;
    QLabel *m_resultTitle;
    QLabel *m_resultStatus;
    ShotTimeline *m_timeline;
    QListView *m_shotView;
    QListWidget *m_outline;
};

} // namespace mmv::ui
