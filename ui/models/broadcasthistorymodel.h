#pragma once

#include <QAbstractTableModel>
#include <QDateTime>

namespace mmv::ui {

/// The broadcasts sent from the dashboard, newest last, with their `delivered_to` count once
/// the server answered. Answers are matched by the request id ServerController returned for
/// the broadcast, so they may come back in any order.
class BroadcastHistoryModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    struct Broadcast
    {
        QDateTime time;
        QString event;
        QString room;
        QString socketId;
        QString payload; ///< compact JSON
        int delivered = -1; ///< -1 while waiting for the answer
        QString error;
        quint64 requestId = 0; ///< ServerController's id of the emit request
    };
    enum Column {
        TimeColumn,
        TargetColumn,
        EventColumn,
        DeliveredColumn,
        PayloadColumn,
        ColumnCount
    };

    static constexpr int Capacity = 500;

    explicit BroadcastHistoryModel(QObject *parent = nullptr);

    void append(const Broadcast &broadcast);
    /// Completes the broadcast sent as request `requestId`; false when none waits for it
    /// (an answer to another request, or one that already came).
    bool finish(quint64 requestId, int delivered, const QString &error);
    /// The row of the broadcast sent as `requestId`, or -1.
    int rowOf(quint64 requestId) const;
    const Broadcast &broadcast(int row) const { return m_items.at(row); }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;

private:
    QList<Broadcast> m_items;
};

} // namespace mmv::ui
