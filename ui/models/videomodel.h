#pragma once

#include "keyedtablemodel.h"

#include "server/core/videotypes.h"

namespace mmv::ui {

/// A video of the library with the state of its latest analysis job.
struct VideoRow
{
    VideoInfo info;
    QString state; ///< queued, running, completed, failed, cancelled; empty: never analysed
    QString stage;
    double progress = -1; ///< 0..1, negative when unknown
    QString message;
};

/// The video library: one row per video with its job state and progress (drawn as a
/// progress bar by ProgressDelegate), updated live from processing_status updates.
class VideoModel : public KeyedTableModel<VideoRow>
{
    Q_OBJECT

public:
    enum Column {
        NameColumn,
        DurationColumn,
        ResolutionColumn,
        SizeColumn,
        StateColumn,
        ProgressColumn,
        ColumnCount
    };
    static constexpr int SortRole = Qt::UserRole + 1;
    static constexpr int IdRole = Qt::UserRole + 2;
    /// 0..1 or negative, for the progress bar delegate.
    static constexpr int ProgressRole = Qt::UserRole + 3;

    explicit VideoModel(QObject *parent = nullptr);

    /// Replaces the library with `videos`, keeping the job state of the videos it knew.
    void setVideos(const QList<VideoInfo> &videos);
    void addVideo(const VideoInfo &video);
    void removeVideo(const QString &videoId);
    /// Applies a processing_status object ({video_id, state, stage, progress, message}).
    void applyStatus(const QJsonObject &status);

    /// Translated name of a job state.
    static QString stateText(const QString &state);

    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

protected:
    QString keyOf(const VideoRow &value) const override { return value.info.id; }
    bool sameRow(const VideoRow &a, const VideoRow &b) const override;
};

} // namespace mmv::ui
