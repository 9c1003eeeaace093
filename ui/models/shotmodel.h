#pragma once

#include <QAbstractListModel>
#include <QHash>
#include <QJsonArray>
#include <QJsonObject>
#include <QPixmap>

#include <functional>

namespace mmv::ui {

/// The shots of one video as its analysis finds them: times, transition, keyframe and the
/// faces and people counted in the shot. Fed with visual_analysis_result objects, in any
/// order; rows stay sorted by shot index. DecorationRole is the keyframe thumbnail, loaded
/// in the GUI thread through the keyframe locator (and retried while the file is missing).
class ShotModel : public QAbstractListModel
{
    Q_OBJECT

public:
    struct Shot
    {
        int index = 0;
        double start = 0;
        double end = -1;
        QString transition;
        int keyframe = -1;
        int faces = 0;
        int people = 0;
    };
    enum Role {
        StartRole = Qt::UserRole + 1,
        EndRole,
        FacesRole,
        PeopleRole,
        KeyframeRole,
    };
    using KeyframeLocator = std::function<QString(int keyframe)>;

    explicit ShotModel(QObject *parent = nullptr);

    void setKeyframeLocator(KeyframeLocator locator) { m_locator = std::move(locator); }
    void setThumbnailSize(const QSize &size) { m_thumbnailSize = size; }

    QString videoId() const { return m_videoId; }
    /// Starts over with another video (one reset).
    void setVideo(const QString &videoId);
    /// Applies one visual_analysis_result; false when it is for another video or of a kind
    /// the shot list does not show.
    bool applyResult(const QJsonObject &result);

    const Shot &shot(int row) const { return m_shots.at(row); }
    int shotCount() const { return int(m_shots.size()); }

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    int rowFor(int shotIndex, bool create);
    QPixmap thumbnail(int keyframe) const;

    QString m_videoId;
    QList<Shot> m_shots;
    KeyframeLocator m_locator;
    QSize m_thumbnailSize{ 160, 90 };
    mutable QHash<int, QPixmap> m_thumbnails;
};

} // namespace mmv::ui
