#pragma once

#include <QSortFilterProxyModel>

namespace mmv::ui {

/// Filters the event stream by direction, event name, room, socket and free text. Each
/// criterion is a case-insensitive substring match; empty criteria match everything.
class EventFilterProxyModel : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    enum class Direction { Both, In, Out };

    explicit EventFilterProxyModel(QObject *parent = nullptr);

    void setDirection(Direction direction);
    void setEventFilter(const QString &text);
    void setRoomFilter(const QString &text);
    void setSocketFilter(const QString &text);
    void setTextFilter(const QString &text);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    void update(QString &field, const QString &text);

    Direction m_direction = Direction::Both;
    QString m_event;
    QString m_room;
    QString m_socket;
    QString m_text;
};

} // namespace mmv::ui
