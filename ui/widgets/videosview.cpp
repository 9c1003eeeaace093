#include "videosview.h"

#include "columnwidths.h"

#include "shottimeline.h"

#include "ui/models/shotmodel.h"
#include "ui/models/videomodel.h"

#include "server/core/servercontroller.h"

#include <QApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QLabel>
#include <QListView>
#include <QListWidget>
#include <QMessageBox>
#include <QMimeData>
#include <QPainter>
#include <QProgressBar>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QVBoxLayout>

namespace mmv::ui {

namespace {

/// Draws the job progress as a progress bar.
class ProgressDelegate : public QStyledItemDelegate
{
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option,
               const QModelIndex &index) const override
    {
        const double progress = index.data(VideoModel::ProgressRole).toDouble();
        if (progress < 0) {
            QStyledItemDelegate::paint(painter, option, index);
            return;
        }
        QStyleOptionProgressBar bar;
        bar.rect = option.rect.adjusted(2, 2, -2, -2);
        bar.minimum = 0;
        bar.maximum = 1000;
        bar.progress = qBound(0, int(progress * 1000), 1000);
        bar.text = index.data(Qt::DisplayRole).toString();
        bar.textVisible = true;
        bar.state = option.state | QStyle::State_Horizontal;
        bar.palette = option.palette;
        const QWidget *widget = option.widget;
        QStyle *style = widget ? widget->style() : QApplication::style();
        style->drawControl(QStyle::CE_ProgressBar, &bar, painter, widget);
    }
};

bool isActive(const QString &state)
{
    return state == u"queued" || state == u"running";
}

} // namespace

VideosView::VideosView(ServerController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_model(new VideoModel(this))
    , m_proxy(new QSortFilterProxyModel(this))
    , m_shots(new ShotModel(this))
    , m_view(new QTableView(this))
    , m_addButton(new QPushButton(tr("&Add Videos…"), this))
    , m_startButton(new QPushButton(tr("&Analyse"), this))
    , m_cancelButton(new QPushButton(tr("&Cancel Analysis"), this))
    , m_deleteButton(new QPushButton(tr("&Delete"), this))
    , m_addingRow(new QWidget(this))
    , m_addingLabel(new QLabel(m_addingRow))
    , m_addingProgress(new QProgressBar(m_addingRow))
    , m_stopAddingButton(new QPushButton(tr("&Stop Adding"), m_addingRow))
    , m_resultTitle(new QLabel(this))
    , m_resultStatus(new QLabel(this))
    , m_timeline(new ShotTimeline(this))
    , m_shotView(new QListView(this))
    , m_outline(new QListWidget(this))
{
    setObjectName(QStringLiteral("videosView"));
    setAcceptDrops(true);
    m_model->setObjectName(QStringLiteral("videoModel"));
    m_shots->setObjectName(QStringLiteral("shotModel"));
    m_proxy->setSourceModel(m_model);
    m_proxy->setSortRole(VideoModel::SortRole);
    m_proxy->setDynamicSortFilter(true);

    m_addButton->setObjectName(QStringLiteral("addVideoButton"));
    m_addButton->setToolTip(tr("Add video files to the library (or drop them here)"));
    m_startButton->setObjectName(QStringLiteral("startAnalysisButton"));
    m_startButton->setToolTip(tr("Analyse the selected video: shots, keyframes, faces, people"));
    m_cancelButton->setObjectName(QStringLiteral("cancelAnalysisButton"));
    m_cancelButton->setToolTip(tr("Stop the running analysis of the selected video"));
    m_deleteButton->setObjectName(QStringLiteral("deleteVideoButton"));
    m_deleteButton->setToolTip(tr("Remove the selected video and its results"));
    // Copying a large file into the library takes a while: how far it is, and a way out.
    m_addingRow->setObjectName(QStringLiteral("addingRow"));
    m_addingLabel->setObjectName(QStringLiteral("addingLabel"));
    m_addingProgress->setObjectName(QStringLiteral("addingProgress"));
    m_addingProgress->setRange(0, 100);
    m_addingProgress->setFormat(QStringLiteral("%p %"));
    m_stopAddingButton->setObjectName(QStringLiteral("stopAddingButton"));
    m_stopAddingButton->setToolTip(tr("Stop adding the files not in the library yet"));
    auto *addingLayout = new QHBoxLayout(m_addingRow);
    addingLayout->setContentsMargins(0, 0, 0, 0);
    addingLayout->addWidget(m_addingLabel);
    addingLayout->addWidget(m_addingProgress, 1);
    addingLayout->addWidget(m_stopAddingButton);
    m_addingRow->hide();

    m_view->setObjectName(QStringLiteral("videoTable"));
    m_view->setModel(m_proxy);
    m_view->setItemDelegateForColumn(VideoModel::ProgressColumn, new ProgressDelegate(m_view));
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(VideoModel::NameColumn, Qt::AscendingOrder);
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->hide();
    m_view->horizontalHeader()->setSectionResizeMode(VideoModel::NameColumn, QHeaderView::Stretch);
    m_view->horizontalHeader()->resizeSection(VideoModel::ProgressColumn, 140);
    fitColumnTitles(m_view->horizontalHeader());

    m_resultTitle->setObjectName(QStringLiteral("videoResultTitle"));
    QFont titleFont = m_resultTitle->font();
    titleFont.setBold(true);
    m_resultTitle->setFont(titleFont);
    m_resultStatus->setObjectName(QStringLiteral("videoResultStatus"));
    m_resultStatus->setWordWrap(true);
    m_timeline->setObjectName(QStringLiteral("shotTimeline"));
    m_timeline->setModel(m_shots);

    m_shots->setThumbnailSize(QSize(160, 90));
    m_shotView->setObjectName(QStringLiteral("shotView"));
    m_shotView->setModel(m_shots);
    m_shotView->setViewMode(QListView::IconMode);
    m_shotView->setIconSize(QSize(160, 90));
    m_shotView->setGridSize(QSize(176, 90 + 3 * fontMetrics().height() + 8));
    m_shotView->setResizeMode(QListView::Adjust);
    m_shotView->setMovement(QListView::Static);
    m_shotView->setWordWrap(true);
    m_shotView->setUniformItemSizes(true);
    m_shotView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_outline->setObjectName(QStringLiteral("outlineList"));
    m_outline->setWordWrap(true);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_addButton);
    buttons->addWidget(m_startButton);
    buttons->addWidget(m_cancelButton);
    buttons->addWidget(m_deleteButton);
    buttons->addStretch(1);
    auto *hint = new QLabel(tr("Drop video files here to add them."), this);
    hint->setEnabled(false);
    buttons->addWidget(hint);

    auto *libraryPane = new QWidget(this);
    auto *libraryLayout = new QVBoxLayout(libraryPane);
    libraryLayout->setContentsMargins(0, 0, 0, 0);
    libraryLayout->addLayout(buttons);
    libraryLayout->addWidget(m_addingRow);
    libraryLayout->addWidget(m_view, 1);

    auto *outlineBox = new QGroupBox(tr("Outline"), this);
    auto *outlineLayout = new QVBoxLayout(outlineBox);
    outlineLayout->addWidget(m_outline);
    auto *shotsSplitter = new QSplitter(Qt::Horizontal, this);
    shotsSplitter->setChildrenCollapsible(false);
    shotsSplitter->addWidget(m_shotView);
    shotsSplitter->addWidget(outlineBox);
    shotsSplitter->setStretchFactor(0, 3);
    shotsSplitter->setStretchFactor(1, 1);

    auto *resultBox = new QGroupBox(tr("Results"), this);
    auto *resultLayout = new QVBoxLayout(resultBox);
    auto *header = new QHBoxLayout;
    header->addWidget(m_resultTitle);
    header->addWidget(m_resultStatus, 1);
    resultLayout->addLayout(header);
    resultLayout->addWidget(m_timeline);
    resultLayout->addWidget(shotsSplitter, 1);

    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->setObjectName(QStringLiteral("videosSplitter"));
    splitter->setChildrenCollapsible(false);
    splitter->addWidget(libraryPane);
    splitter->addWidget(resultBox);
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 3);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(splitter);

    connect(m_addButton, &QPushButton::clicked, this, &VideosView::addFiles);
    connect(m_startButton, &QPushButton::clicked, this, &VideosView::startAnalysis);
    connect(m_cancelButton, &QPushButton::clicked, this, &VideosView::cancelAnalysis);
    connect(m_deleteButton, &QPushButton::clicked, this, &VideosView::deleteVideo);
    connect(m_stopAddingButton, &QPushButton::clicked, this, &VideosView::stopAdding);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &VideosView::showCurrentVideo);
    connect(m_model, &QAbstractItemModel::dataChanged, this, [this] {
        updateButtons();
        updateResultHeader();
    });
    connect(m_shots, &QAbstractItemModel::rowsInserted, this, &VideosView::updateResultHeader);
    connect(m_timeline, &ShotTimeline::shotClicked, this, [this](int row) {
        m_shotView->setCurrentIndex(m_shots->index(row));
        m_shotView->scrollTo(m_shots->index(row));
    });

    if (m_controller) {
        connect(m_controller, &ServerController::videosListed, this,
                [this](const QList<VideoInfo> &videos) {
                    m_model->setVideos(videos);
                    // The listing has no job state; each video's latest status comes with
                    // its state (a small library on a LAN: one request per video is fine).
                    for (const VideoInfo &video : videos)
                        m_controller->requestVideoState(video.id);
                    if (currentVideoId().isEmpty() && m_proxy->rowCount() > 0)
                        m_view->setCurrentIndex(m_proxy->index(0, 0));
                });
        connect(m_controller, &ServerController::videoAdded, this, [this](const VideoInfo &video) {
            m_model->addVideo(video);
            if (currentVideoId().isEmpty())
                selectVideo(video.id);
        });
        connect(m_controller, &ServerController::videoRemoved, m_model, &VideoModel::removeVideo);
        // A large file is copied into the library: how far.
        connect(m_controller, &ServerController::actionProgress, this,
                [this](const QString &, double fraction, ServerController::RequestId id) {
                    const auto it = m_adding.find(id);
                    if (it != m_adding.end()) {
                        it->copied = fraction;
                        Q_EMIT statusMessage(tr("Adding %1 to the library… %2 %")
                                                 .arg(it->name)
                                                 .arg(qRound(fraction * 100)));
                        updateAdding();
                    }
                });
        connect(m_controller, &ServerController::actionFinished, this,
                [this](const QString &, int, const QString &, ServerController::RequestId id) {
                    if (m_adding.remove(id)) {
                        ++m_addsAnswered;
                        updateAdding();
                    }
                });
        // A server that stops drops the adds under way unanswered: say so, instead of
        // leaving "Adding ... 37 %" in the status bar for good.
        connect(
            m_controller, &ServerController::stateChanged, this, [this](const ServerState &state) {
                if (state.status == ServerState::Status::Listening || m_adding.isEmpty())
                    return;
                QStringList names;
                for (const Adding &adding : std::as_const(m_adding))
                    names.append(adding.name);
                m_adding.clear();
                updateAdding();
                Q_EMIT statusMessage(
                    tr("Not added, the server stopped: %1").arg(names.join(QStringLiteral(", "))));
            });
        connect(m_controller, &ServerController::processingStatusChanged, this,
                &VideosView::handleProcessingStatus);
        connect(m_controller, &ServerController::analysisResultFound, this,
                &VideosView::handleAnalysisResult);
        connect(m_controller, &ServerController::contentUpdated, this,
                &VideosView::handleContentUpdate);
        connect(m_controller, &ServerController::videoStateLoaded, this,
                &VideosView::handleVideoState);
    }
    showCurrentVideo();
}

QString VideosView::currentVideoId() const
{
    const QModelIndex current = m_view->currentIndex();
    return current.isValid() ? current.data(VideoModel::IdRole).toString() : QString();
}

void VideosView::refresh()
{
    if (m_controller)
        m_controller->requestVideos();
}

void VideosView::selectVideo(const QString &videoId)
{
    const int row = m_model->rowOf(videoId);
    if (row < 0)
        return;
    m_view->setCurrentIndex(m_proxy->mapFromSource(m_model->index(row, 0)));
}

void VideosView::handleProcessingStatus(const QJsonObject &status)
{
    m_model->applyStatus(status);
}

void VideosView::handleAnalysisResult(const QJsonObject &result)
{
    m_shots->applyResult(result);
}

void VideosView::handleContentUpdate(const QJsonObject &update)
{
    if (update.value(QStringLiteral("video_id")).toString() != m_shots->videoId())
        return;
    const QString kind = update.value(QStringLiteral("kind")).toString();
    const QJsonArray segments = update.value(QStringLiteral("segments")).toArray();
    if (kind != u"segment")
        m_outline->clear();
    for (const QJsonValue &value : segments) {
        const QJsonObject segment = value.toObject();
        const int index = segment.value(QStringLiteral("index")).toInt();
        const double start = segment.value(QStringLiteral("start")).toDouble();
        const double end = segment.value(QStringLiteral("end")).toDouble();
        auto *item = new QListWidgetItem(tr("%1. %2 (%3 s – %4 s)")
                                             .arg(index + 1)
                                             .arg(segment.value(QStringLiteral("title")).toString())
                                             .arg(start, 0, 'f', 1)
                                             .arg(end, 0, 'f', 1));
        const QString path = m_controller
            ? m_controller->keyframePath(m_shots->videoId(),
                                         segment.value(QStringLiteral("keyframe")).toInt(-1))
            : QString();
        if (segment.contains(QStringLiteral("keyframe")) && QFileInfo::exists(path))
            item->setIcon(QIcon(path));
        m_outline->addItem(item);
    }
}

void VideosView::handleVideoState(const QString &videoId, const QJsonObject &status,
                                  const QList<QJsonObject> &results)
{
    if (!status.isEmpty())
        m_model->applyStatus(status);
    if (videoId != currentVideoId())
        return;
    m_shots->setVideo(videoId);
    m_outline->clear();
    for (const QJsonObject &result : results) {
        if (result.contains(QStringLiteral("segments")))
            handleContentUpdate(result);
        else
            m_shots->applyResult(result);
    }
    updateResultHeader();
}

void VideosView::showCurrentVideo()
{
    const QString id = currentVideoId();
    m_shots->setVideo(id);
    m_outline->clear();
    if (m_controller && !id.isEmpty()) {
        m_shots->setKeyframeLocator([controller = m_controller, id](int keyframe) {
            return controller ? controller->keyframePath(id, keyframe) : QString();
        });
        m_controller->requestVideoState(id);
    }
    updateButtons();
    updateResultHeader();
}

void VideosView::updateButtons()
{
    const int row = m_model->rowOf(currentVideoId());
    const QString state = row >= 0 ? m_model->item(row).state : QString();
    m_startButton->setEnabled(row >= 0 && !isActive(state) && m_controller);
    m_cancelButton->setEnabled(row >= 0 && isActive(state) && m_controller);
    m_deleteButton->setEnabled(row >= 0 && m_controller);
    m_addButton->setEnabled(m_controller);
}

void VideosView::updateResultHeader()
{
    const int row = m_model->rowOf(currentVideoId());
    if (row < 0) {
        m_resultTitle->setText(tr("No video selected"));
        m_resultStatus->clear();
        m_timeline->setDuration(0);
        m_timeline->setProgress(-1);
        return;
    }
    const VideoRow &video = m_model->item(row);
    m_resultTitle->setText(video.info.fileName);
    QString status = VideoModel::stateText(video.state);
    if (video.progress >= 0 && isActive(video.state))
        status += QStringLiteral(" · %1 %").arg(qRound(video.progress * 100));
    if (!video.stage.isEmpty() && isActive(video.state))
        status += QStringLiteral(" · ") + video.stage;
    status += QStringLiteral(" · ") + tr("%n shot(s)", "", m_shots->shotCount());
    m_resultStatus->setText(status);
    m_timeline->setDuration(video.info.durationSeconds);
    m_timeline->setProgress(isActive(video.state) ? video.progress : -1);
}

void VideosView::addFiles()
{
    const QStringList files = QFileDialog::getOpenFileNames(
        this, tr("Add Videos"), QString(),
        tr("Videos (*.mp4 *.mkv *.avi *.mov *.webm *.m4v);;All files (*)"));
    for (const QString &file : files)
        addFile(file);
}

void VideosView::addFile(const QString &path)
{
    if (!m_controller)
        return;
    // The server probes the file and copies it into the library; "add video <name>: done" (or
    // why not) follows in the status bar, and the video appears in the list.
    const QString name = QFileInfo(path).fileName();
    Q_EMIT statusMessage(tr("Adding %1 to the library…").arg(name));
    m_adding.insert(m_controller->addVideoFile(path), Adding{ name });
    m_stopAddingButton->setEnabled(true);
    updateAdding();
}

void VideosView::stopAdding()
{
    if (!m_controller)
        return;
    // Each add is answered "cancelled" (or done, if its file was in the library already).
    for (auto it = m_adding.cbegin(); it != m_adding.cend(); ++it)
        m_controller->cancelAddVideoFile(it.key());
    m_stopAddingButton->setEnabled(false);
}

void VideosView::updateAdding()
{
    m_addingRow->setVisible(!m_adding.isEmpty());
    if (m_adding.isEmpty()) {
        m_addsAnswered = 0;
        return;
    }
    // The files answered since the row appeared count as done, so that the bar never goes
    // back when one of several is through.
    double done = m_addsAnswered;
    for (const Adding &adding : std::as_const(m_adding))
        done += adding.copied;
    m_addingProgress->setValue(qRound(100 * done / double(m_adding.size() + m_addsAnswered)));
    m_addingLabel->setText(m_adding.size() == 1
                               ? tr("Adding %1").arg(m_adding.cbegin()->name)
                               : tr("Adding %n files", nullptr, int(m_adding.size())));
}

void VideosView::dragEnterEvent(QDragEnterEvent *event)
{
    if (!event->mimeData()->hasUrls())
        return;
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile()) {
            event->acceptProposedAction();
            return;
        }
    }
}

void VideosView::dropEvent(QDropEvent *event)
{
    bool added = false;
    for (const QUrl &url : event->mimeData()->urls()) {
        if (url.isLocalFile() && QFileInfo(url.toLocalFile()).isFile() && m_controller) {
            addFile(url.toLocalFile());
            added = true;
        }
    }
    if (added)
        event->acceptProposedAction();
}

void VideosView::startAnalysis()
{
    const QString id = currentVideoId();
    if (!id.isEmpty() && m_controller) {
        m_controller->startAnalysis(id);
        m_shots->setVideo(id);
        m_outline->clear();
    }
}

void VideosView::cancelAnalysis()
{
    const QString id = currentVideoId();
    if (!id.isEmpty() && m_controller)
        m_controller->cancelAnalysis(id);
}

void VideosView::deleteVideo()
{
    const QString id = currentVideoId();
    const int row = m_model->rowOf(id);
    if (row < 0 || !m_controller)
        return;
    if (QMessageBox::question(
            this, tr("Delete Video"),
            tr("Delete %1 and all its results?").arg(m_model->item(row).info.fileName))
        != QMessageBox::Yes)
        return;
    m_controller->deleteVideo(id);
}

} // namespace mmv::ui
