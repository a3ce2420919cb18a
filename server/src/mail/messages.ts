import type { StoredEvent } from '../outbox/channel';
import type { Language } from './language';

export interface Message {
  subject: string;
  text: string;
  html: string;
}

/** What a message links to: the console's address (SEATLOCK_PUBLIC_URL). */
export interface MessageContext {
  consoleUrl: string;
  name: string | null;
}

type Texts = { subject: string; lines: string[]; link?: { label: string; href: string } };

/** "An order", "A trial": the English article for an application's kind. */
const aKind = (kind: string) => `${kind === 'order' ? 'An' : 'A'} ${kind}`;

const kindName = (type: string, language: Language) => (type.startsWith('order') ? (language === 'en' ? 'order' : '订单') : language === 'en' ? 'trial' : '试用申请');

/**
 * The e-mail for one event in the reader's language. Never a secret: no token, activation code or
 * password; only an invite carries its own one-time link.
 */
export function renderMessage(event: StoredEvent, language: Language, context: MessageContext): Message {
  const texts = language === 'zh-CN' ? chinese(event, context) : english(event, context);
  const greeting = language === 'zh-CN' ? `${context.name ?? ''}您好：` : `Hello${context.name ? ` ${context.name}` : ''},`;
  const text = [greeting, '', ...texts.lines, ...(texts.link ? ['', `${texts.link.label}: ${texts.link.href}`] : [])].join('\n');
  const html = [
    `<p>${escapeHtml(greeting)}</p>`,
    ...texts.lines.map((line) => `<p>${escapeHtml(line)}</p>`),
    ...(texts.link ? [`<p><a href="${escapeHtml(texts.link.href)}">${escapeHtml(texts.link.label)}</a></p>`] : []),
  ].join('\n');
  return { subject: texts.subject, text, html };
}

function english(event: StoredEvent, { consoleUrl }: MessageContext): Texts {
  const data = event.data as Record<string, any>;
  const kind = kindName(event.type, 'en');
  const reason = data.reason ? [`Reason: ${data.reason}`] : [];
  switch (event.type) {
    case 'user.invited':
      return {
        subject: 'You are invited to Seatlock',
        lines: [`Open the link below to set your password. It works once, until ${data.inviteExpiresAt}.`],
        link: { label: 'Set your password', href: `${consoleUrl}/accept-invite?invite=${encodeURIComponent(data.invite)}` },
      };
    case 'order.submitted':
    case 'trial.submitted':
      return { subject: `New ${kind} to review`, lines: [`${aKind(kind)} was submitted for ${data.product}. It is due for review within 2 business days.`], link: { label: 'Open the review queue', href: `${consoleUrl}/review` } };
    case 'order.approved':
    case 'trial.approved':
      return { subject: `Your ${kind} was approved`, lines: [`Your ${kind} was approved and its pool is ready. Reveal its activation code in the console.`, ...reason], link: { label: 'Open your pools', href: `${consoleUrl}/pools` } };
    case 'order.rejected':
    case 'trial.rejected':
      return { subject: `Your ${kind} was rejected`, lines: [`Your ${kind} was rejected.`, ...reason], link: { label: 'Open your applications', href: `${consoleUrl}/applications` } };
    case 'pool.nearly_full':
    case 'pool.full':
      return {
        subject: event.type === 'pool.full' ? 'A pool has no seats left' : 'A pool is 80 % used',
        lines: [`${data.seatsUsed} of ${data.seats} seats of pool ${data.poolId} are bound to devices.${event.type === 'pool.full' ? ' New devices are refused until seats are bought.' : ''}`],
        link: { label: 'Open the pool', href: `${consoleUrl}/pools/${encodeURIComponent(data.poolId)}` },
      };
    case 'order.review_due_soon':
    case 'trial.review_due_soon':
      return { subject: `${aKind(kind)} is due for review soon`, lines: [`${aKind(kind)} for ${data.product} is due for review by ${data.reviewDueAt}, within a business day.`], link: { label: 'Open the review queue', href: `${consoleUrl}/review` } };
    case 'order.review_overdue':
    case 'trial.review_overdue':
      return { subject: `${aKind(kind)} is overdue for review`, lines: [`${aKind(kind)} for ${data.product} was due for review by ${data.reviewDueAt} and still waits.`], link: { label: 'Open the review queue', href: `${consoleUrl}/review` } };
    case 'trial.ending':
      return {
        subject: `Your ${data.product} trial ends in 7 days`,
        lines: [`Your ${data.product} trial ends on ${data.expiresAt}; its devices stop working then. Apply for a purchase to keep them running.`],
        link: { label: 'Open the catalog', href: `${consoleUrl}/catalog` },
      };
    case 'trial.ended':
      return { subject: `Your ${data.product} trial has ended`, lines: [`Your ${data.product} trial ended on ${data.expiresAt}; its devices no longer work.`], link: { label: 'Open the catalog', href: `${consoleUrl}/catalog` } };
    case 'user.disabled':
      return { subject: 'Your Seatlock account was disabled', lines: ['Your account was disabled by an administrator: you can no longer sign in, and the tokens you made were revoked.'] };
    case 'token.revoked':
      return { subject: 'An API token of yours was revoked', lines: [`The API token "${data.name}" was revoked and no longer works.`, ...reason] };
    case 'webhook.disabled':
      return { subject: 'A webhook endpoint was disabled', lines: [`Deliveries to webhook endpoint ${data.webhookId} failed since ${data.failingSince}; it was disabled. Enable it again once it answers.`], link: { label: 'Open webhooks', href: `${consoleUrl}/webhooks` } };
    default:
      return { subject: `Seatlock: ${event.type}`, lines: [event.type] };
  }
}

function chinese(event: StoredEvent, { consoleUrl }: MessageContext): Texts {
  const data = event.data as Record<string, any>;
  const kind = kindName(event.type, 'zh-CN');
  const reason = data.reason ? [`原因：${data.reason}`] : [];
  switch (event.type) {
    case 'user.invited':
      return {
        subject: '邀请您使用 Seatlock',
        lines: [`请打开下面的链接设置密码。该链接只能使用一次，有效期至 ${data.inviteExpiresAt}。`],
        link: { label: '设置密码', href: `${consoleUrl}/accept-invite?invite=${encodeURIComponent(data.invite)}` },
      };
    case 'order.submitted':
    case 'trial.submitted':
      return { subject: `有新的${kind}待审核`, lines: [`${data.product} 的${kind}已提交，请在 2 个工作日内审核。`], link: { label: '打开审核队列', href: `${consoleUrl}/review` } };
    case 'order.approved':
    case 'trial.approved':
      return { subject: `您的${kind}已批准`, lines: [`您的${kind}已批准，席位池已可使用。请在控制台查看激活码。`, ...reason], link: { label: '打开席位池', href: `${consoleUrl}/pools` } };
    case 'order.rejected':
    case 'trial.rejected':
      return { subject: `您的${kind}未获批准`, lines: [`您的${kind}未获批准。`, ...reason], link: { label: '打开申请', href: `${consoleUrl}/applications` } };
    case 'pool.nearly_full':
    case 'pool.full':
      return {
        subject: event.type === 'pool.full' ? '席位池已用完' : '席位池已使用 80%',
        lines: [`席位池 ${data.poolId} 的 ${data.seats} 个席位中已有 ${data.seatsUsed} 个绑定设备。${event.type === 'pool.full' ? '在购买新席位之前，新设备将无法激活。' : ''}`],
        link: { label: '打开席位池', href: `${consoleUrl}/pools/${encodeURIComponent(data.poolId)}` },
      };
    case 'order.review_due_soon':
    case 'trial.review_due_soon':
      return { subject: `${kind}即将到期待审核`, lines: [`${data.product} 的${kind}应在 ${data.reviewDueAt} 前审核，距期限不足一个工作日。`], link: { label: '打开审核队列', href: `${consoleUrl}/review` } };
    case 'order.review_overdue':
    case 'trial.review_overdue':
      return { subject: `${kind}已超过审核期限`, lines: [`${data.product} 的${kind}应在 ${data.reviewDueAt} 前审核，目前仍在等待。`], link: { label: '打开审核队列', href: `${consoleUrl}/review` } };
    case 'trial.ending':
      return {
        subject: `您的 ${data.product} 试用将在 7 天后结束`,
        lines: [`您的 ${data.product} 试用将于 ${data.expiresAt} 结束，届时其设备将停止工作。如需继续使用，请申请购买。`],
        link: { label: '打开产品目录', href: `${consoleUrl}/catalog` },
      };
    case 'trial.ended':
      return { subject: `您的 ${data.product} 试用已结束`, lines: [`您的 ${data.product} 试用已于 ${data.expiresAt} 结束，其设备已停止工作。`], link: { label: '打开产品目录', href: `${consoleUrl}/catalog` } };
    case 'user.disabled':
      return { subject: '您的 Seatlock 账户已停用', lines: ['管理员已停用您的账户：您无法再登录，您创建的令牌也已撤销。'] };
    case 'token.revoked':
      return { subject: '您的 API 令牌已撤销', lines: [`API 令牌“${data.name}”已撤销，不能再使用。`, ...reason] };
    case 'webhook.disabled':
      return { subject: 'Webhook 端点已停用', lines: [`自 ${data.failingSince} 起向 Webhook 端点 ${data.webhookId} 的投递一直失败，该端点已停用。恢复后请重新启用。`], link: { label: '打开 Webhooks', href: `${consoleUrl}/webhooks` } };
    default:
      return { subject: `Seatlock：${event.type}`, lines: [event.type] };
  }
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
