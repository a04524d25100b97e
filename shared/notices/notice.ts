/**
 * A notice: what the pipeline tells people when something happens — the day-3 reminder
 * (催报), a publication, a correction after publication, a return to a unit — written once,
 * channel-neutral, and rendered by each channel (mail, the WeCom, DingTalk and Feishu
 * group robots) within its own limits. Its id is derived from its event, so that every
 * channel sends it once (shared/notices/dispatch.ts).
 */

export const NOTICE_KINDS = ['remind', 'publish', 'correction', 'return'] as const;
export type NoticeKind = (typeof NOTICE_KINDS)[number];

/** A block of the message: an optional heading and its lines (plain text, no markup). */
export interface NoticeSection {
  readonly heading?: string;
  readonly lines: readonly string[];
}

export interface Notice {
  /** Derived from the event: `publish/EC/monthly/2025-03/r1`, `remind/EC/2025-03`, … */
  readonly id: string;
  readonly kind: NoticeKind;
  /** Whose notice it is: a town's code or the district's (routing). */
  readonly org: string;
  /** One line, e.g. `鹅池镇2025年3月法治统计月报（第2版，有更正）`. */
  readonly title: string;
  readonly sections: readonly NoticeSection[];
  /** The page where the reader acts (absent when the deployment has no page URL). */
  readonly link?: string;
}

export const ROBOT_KINDS = ['wecom', 'dingtalk', 'feishu'] as const;
export type RobotKind = (typeof ROBOT_KINDS)[number];

/** A group robot as the sender needs it: its secrets resolved (shared/notices/config.ts). */
export interface RobotTarget {
  readonly id: string;
  readonly kind: RobotKind;
  /** The webhook URL (WeCom: `…/cgi-bin/webhook/send?key=…`; DingTalk: `…/robot/send?access_token=…`; Feishu: `…/open-apis/bot/v2/hook/…`). */
  readonly url: string;
  /** DingTalk (`SEC…`) or Feishu signing secret: the request is signed when present. */
  readonly signingSecret?: string;
  /** DingTalk / Feishu keyword security: every message must contain it. */
  readonly keyword?: string;
}
