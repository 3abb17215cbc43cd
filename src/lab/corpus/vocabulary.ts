// Word lists for the corpus, by locale. Each locale says which charsets its mail realistically arrives in;
// the Japanese text sticks to JIS X 0208 so ISO-2022-JP and Shift_JIS can carry it.

import type { Charset } from './charsets'

export type Locale = 'en' | 'de' | 'fr' | 'es' | 'ru' | 'ja' | 'zh'

/** [display form, ASCII form for the local part of an address]. */
export type NamePart = readonly [string, string]

export interface LocaleVocabulary {
  /** Charsets with weights for header encoded-words and bodies from senders of this locale. */
  charsets: readonly (readonly [Charset, number])[]
  firstNames: readonly NamePart[]
  lastNames: readonly NamePart[]
  /** Family name first (display "Yamada Taro" order) as Japanese and Chinese mailers do. */
  familyFirst?: boolean
  /** Joins name parts ("" for CJK). */
  nameSeparator: string
  domains: readonly string[]
  subjects: readonly string[]
  sentences: readonly string[]
  greetings: readonly string[]
  closings: readonly string[]
  attachmentNames: readonly string[]
  /** How "On <date>, <name> wrote:" reads. */
  wrote: (date: string, name: string) => string
  replyPrefix: string
}

export const LOCALE_WEIGHTS: readonly (readonly [Locale, number])[] = [
  ['en', 52],
  ['de', 12],
  ['fr', 8],
  ['es', 6],
  ['ru', 8],
  ['ja', 9],
  ['zh', 5],
]

export const VOCABULARY: Record<Locale, LocaleVocabulary> = {
  en: {
    charsets: [
      ['us-ascii', 35],
      ['utf-8', 55],
      ['windows-1252', 10],
    ],
    firstNames: [
      ['James', 'james'],
      ['Mary', 'mary'],
      ['Robert', 'robert'],
      ['Patricia', 'patricia'],
      ['John', 'john'],
      ['Jennifer', 'jennifer'],
      ['Michael', 'michael'],
      ['Linda', 'linda'],
      ['David', 'david'],
      ['Elizabeth', 'elizabeth'],
      ['William', 'william'],
      ['Susan', 'susan'],
      ['Richard', 'richard'],
      ['Jessica', 'jessica'],
      ['Thomas', 'thomas'],
      ['Sarah', 'sarah'],
      ['Chris', 'chris'],
      ['Karen', 'karen'],
      ['Daniel', 'daniel'],
      ['Nancy', 'nancy'],
      ['Zoë', 'zoe'],
      ['Siobhán', 'siobhan'],
    ],
    lastNames: [
      ['Smith', 'smith'],
      ['Johnson', 'johnson'],
      ['Williams', 'williams'],
      ['Brown', 'brown'],
      ['Jones', 'jones'],
      ['Miller', 'miller'],
      ['Davis', 'davis'],
      ['Wilson', 'wilson'],
      ['Anderson', 'anderson'],
      ['Taylor', 'taylor'],
      ['Moore', 'moore'],
      ['Jackson', 'jackson'],
      ["O'Brien", 'obrien'],
      ['Clarke', 'clarke'],
      ['Nguyen', 'nguyen'],
      ['Patel', 'patel'],
    ],
    nameSeparator: ' ',
    domains: ['example.com', 'example.net', 'acme.example', 'mail.example.org', 'globex.example'],
    subjects: [
      'Quarterly report draft',
      'Lunch on Friday?',
      'Meeting notes from Tuesday',
      'Budget review for Q3',
      'Re-scheduling our call',
      'Invoice 2023-0142',
      'Flight details for the conference',
      'Your order has shipped',
      'Question about the API migration',
      'Team offsite planning',
      'Photos from the weekend',
      'Contract renewal – please review',
      'Weekly status update',
      'Build failure on main',
      'Welcome to the project!',
      'Holiday schedule',
      'Can you take a look at this?',
      'Updated slides for the board meeting',
      'Server maintenance window tonight',
      'Happy birthday! 🎉',
      'Proposal: “simpler” onboarding',
    ],
    sentences: [
      'I went through the numbers again this morning and they look reasonable to me.',
      'Could you send me the latest version before the end of the day?',
      'The client asked whether we can move the deadline by a week.',
      'We should probably discuss this in person rather than over email.',
      'Attached you will find the documents we talked about yesterday.',
      'Let me know if anything is unclear or if you need more details.',
      'The build has been flaky since the dependency upgrade last Thursday.',
      'I have booked the large meeting room from two to four.',
      'Thanks again for your help with the migration, it went smoothly.',
      'There is one open question about the retention policy for old data.',
      'I will be out of the office next week with limited access to email.',
      'The new process should save us a few hours every month.',
      'Please make sure the figures match the ones in the spreadsheet.',
      'We received three more applications for the open position.',
      'The hotel is about ten minutes from the venue by taxi.',
      'I think the second option is cheaper in the long run.',
      'Our monitoring shows a spike in latency around midnight.',
      'Can we keep the scope small for the first release?',
    ],
    greetings: ['Hi', 'Hello', 'Dear', 'Hey'],
    closings: ['Best regards', 'Thanks', 'Cheers', 'Kind regards', 'All the best'],
    attachmentNames: [
      'report',
      'invoice',
      'slides',
      'photo',
      'contract',
      'budget',
      'notes',
      'scan',
      'diagram',
    ],
    wrote: (date, name) => `On ${date}, ${name} wrote:`,
    replyPrefix: 'Re: ',
  },
  de: {
    charsets: [
      ['iso-8859-1', 40],
      ['utf-8', 50],
      ['windows-1252', 10],
    ],
    firstNames: [
      ['Jürgen', 'juergen'],
      ['Günther', 'guenther'],
      ['Anna', 'anna'],
      ['Jörg', 'joerg'],
      ['Käthe', 'kaethe'],
      ['Sören', 'soeren'],
      ['Lena', 'lena'],
      ['Matthias', 'matthias'],
      ['Ursula', 'ursula'],
      ['Björn', 'bjoern'],
    ],
    lastNames: [
      ['Müller', 'mueller'],
      ['Schäfer', 'schaefer'],
      ['Weiß', 'weiss'],
      ['Groß', 'gross'],
      ['Köhler', 'koehler'],
      ['Schmidt', 'schmidt'],
      ['Bäcker', 'baecker'],
      ['Hoffmann', 'hoffmann'],
    ],
    nameSeparator: ' ',
    domains: ['beispiel.de', 'firma.example.de', 'post.example.at'],
    subjects: [
      'Rückfrage zur Rechnung',
      'Termin nächste Woche',
      'Änderungen am Vertrag',
      'Protokoll der Besprechung',
      'Grüße aus München',
      'Überweisung bestätigt',
      'Bitte um Rückmeldung bis Freitag',
      'Einladung zum Sommerfest',
      'Größere Lieferung – Verzögerung',
    ],
    sentences: [
      'Ich habe die Unterlagen heute früh noch einmal geprüft.',
      'Könnten Sie mir bitte die aktuelle Version schicken?',
      'Die Lieferung verzögert sich leider um ein paar Tage.',
      'Für Rückfragen stehe ich Ihnen gerne zur Verfügung.',
      'Wir treffen uns am Donnerstag um 14 Uhr im großen Saal.',
      'Die Überweisung ist gestern bei uns eingegangen.',
      'Bitte prüfen Sie die Änderungen und geben Sie mir Bescheid.',
      'Das Angebot gilt bis zum Ende des Monats.',
      'Ich bin nächste Woche im Urlaub und nur eingeschränkt erreichbar.',
      'Schöne Grüße an das ganze Team!',
    ],
    greetings: ['Hallo', 'Guten Tag', 'Liebe Kolleginnen und Kollegen,', 'Moin'],
    closings: ['Mit freundlichen Grüßen', 'Viele Grüße', 'Beste Grüße', 'Gruß'],
    attachmentNames: ['Rechnung', 'Angebot', 'Übersicht', 'Protokoll', 'Lebenslauf', 'Präsentation'],
    wrote: (date, name) => `Am ${date} schrieb ${name}:`,
    replyPrefix: 'AW: ',
  },
  fr: {
    charsets: [
      ['iso-8859-1', 35],
      ['utf-8', 50],
      ['windows-1252', 15],
    ],
    firstNames: [
      ['François', 'francois'],
      ['Hélène', 'helene'],
      ['Jérôme', 'jerome'],
      ['Cécile', 'cecile'],
      ['Amélie', 'amelie'],
      ['Benoît', 'benoit'],
      ['Élodie', 'elodie'],
      ['Noël', 'noel'],
    ],
    lastNames: [
      ['Lefèvre', 'lefevre'],
      ['Dupré', 'dupre'],
      ['Bérenger', 'berenger'],
      ['Moreau', 'moreau'],
      ['Girard', 'girard'],
      ['Mercier', 'mercier'],
      ['Faÿ', 'fay'],
    ],
    nameSeparator: ' ',
    domains: ['exemple.fr', 'societe.example.fr', 'courriel.example.be'],
    subjects: [
      'Réunion de jeudi',
      'Facture n° 2023-118',
      'Prochaines étapes du projet',
      'Congés d’été',
      'Votre réservation est confirmée',
      'Mise à jour du planning',
      'Déjeuner à la cantine ?',
      'Œuvres à présenter à l’exposition',
    ],
    sentences: [
      'Je vous remercie pour votre retour rapide.',
      'Pourriez-vous me confirmer la date de la réunion ?',
      'Le document révisé se trouve en pièce jointe.',
      'Nous avons pris un peu de retard sur le calendrier prévu.',
      'Je serai absent la semaine prochaine, à partir de mercredi.',
      'Le budget a été validé par la direction hier soir.',
      'N’hésitez pas à me contacter si vous avez des questions.',
      'La salle est réservée de dix heures à midi.',
      'Ça me paraît être une très bonne idée.',
    ],
    greetings: ['Bonjour', 'Salut', 'Chère équipe,', 'Madame, Monsieur,'],
    closings: ['Cordialement', 'Bien à vous', 'À bientôt', 'Bonne journée'],
    attachmentNames: ['facture', 'devis', 'compte-rendu', 'présentation', 'réservation'],
    wrote: (date, name) => `Le ${date}, ${name} a écrit :`,
    replyPrefix: 'Re: ',
  },
  es: {
    charsets: [
      ['iso-8859-1', 40],
      ['utf-8', 60],
    ],
    firstNames: [
      ['José', 'jose'],
      ['María', 'maria'],
      ['Íñigo', 'inigo'],
      ['Lucía', 'lucia'],
      ['Ramón', 'ramon'],
      ['Begoña', 'begona'],
    ],
    lastNames: [
      ['García', 'garcia'],
      ['Muñoz', 'munoz'],
      ['Peña', 'pena'],
      ['Martínez', 'martinez'],
      ['Ibáñez', 'ibanez'],
    ],
    nameSeparator: ' ',
    domains: ['ejemplo.es', 'correo.example.mx'],
    subjects: [
      '¿Reunión mañana?',
      'Presupuesto del año próximo',
      'Información sobre el envío',
      'Cumpleaños de Begoña',
      'Revisión del contrato',
    ],
    sentences: [
      'Muchas gracias por la información que me enviaste.',
      '¿Podrías revisar el documento antes del lunes?',
      'La reunión será en la sala pequeña del segundo piso.',
      'Te adjunto el presupuesto actualizado.',
      'Nos vemos el próximo jueves a las once.',
      'El envío saldrá mañana por la mañana.',
    ],
    greetings: ['Hola', 'Buenos días', 'Estimado equipo,'],
    closings: ['Saludos', 'Un abrazo', 'Atentamente'],
    attachmentNames: ['presupuesto', 'factura', 'información', 'fotografía'],
    wrote: (date, name) => `El ${date}, ${name} escribió:`,
    replyPrefix: 'RE: ',
  },
  ru: {
    charsets: [
      ['koi8-r', 40],
      ['utf-8', 60],
    ],
    firstNames: [
      ['Александр', 'alexander'],
      ['Наталья', 'natalia'],
      ['Дмитрий', 'dmitry'],
      ['Ольга', 'olga'],
      ['Сергей', 'sergey'],
      ['Татьяна', 'tatiana'],
      ['Алексей', 'alexey'],
    ],
    lastNames: [
      ['Иванов', 'ivanov'],
      ['Смирнов', 'smirnov'],
      ['Кузнецов', 'kuznetsov'],
      ['Попов', 'popov'],
      ['Соколов', 'sokolov'],
      ['Фёдоров', 'fedorov'],
    ],
    nameSeparator: ' ',
    domains: ['primer.example.ru', 'pochta.example.ru'],
    subjects: [
      'Отчёт за квартал',
      'Встреча в четверг',
      'Счёт на оплату',
      'Вопрос по договору',
      'Поздравляю с праздником!',
      'Обновление сервера',
    ],
    sentences: [
      'Спасибо за быстрый ответ.',
      'Пришлите, пожалуйста, последнюю версию документа.',
      'Встреча переносится на следующую неделю.',
      'Во вложении вы найдёте обновлённый счёт.',
      'Сервер будет недоступен с двух до трёх часов ночи.',
      'Я согласен с вашими предложениями.',
      'Если возникнут вопросы, пишите мне в любое время.',
    ],
    greetings: ['Здравствуйте', 'Привет', 'Добрый день'],
    closings: ['С уважением', 'Всего доброго', 'Спасибо'],
    attachmentNames: ['отчёт', 'счёт', 'договор', 'презентация'],
    wrote: (date, name) => `${date}, ${name} пишет:`,
    replyPrefix: 'Re: ',
  },
  ja: {
    charsets: [
      ['iso-2022-jp', 50],
      ['shift_jis', 20],
      ['utf-8', 30],
    ],
    firstNames: [
      ['太郎', 'taro'],
      ['花子', 'hanako'],
      ['健', 'ken'],
      ['美咲', 'misaki'],
      ['大輔', 'daisuke'],
      ['由美', 'yumi'],
    ],
    lastNames: [
      ['山田', 'yamada'],
      ['佐藤', 'sato'],
      ['鈴木', 'suzuki'],
      ['高橋', 'takahashi'],
      ['田中', 'tanaka'],
      ['渡辺', 'watanabe'],
    ],
    familyFirst: true,
    nameSeparator: ' ',
    domains: ['example.co.jp', 'mail.example.jp'],
    subjects: [
      '会議の議事録',
      '来週の打ち合わせについて',
      '請求書の送付',
      'お見積もりのご依頼',
      '新年のご挨拶',
      'サーバーメンテナンスのお知らせ',
      '【重要】パスワード変更のお願い',
    ],
    sentences: [
      'いつもお世話になっております。',
      '資料を添付いたしますので、ご確認ください。',
      '来週の会議は木曜日の午後二時からです。',
      'ご不明な点がございましたら、お気軽にご連絡ください。',
      '本日中にお返事をいただけますと幸いです。',
      '先日はありがとうございました。',
      '予定が変更になりましたので、お知らせいたします。',
    ],
    greetings: ['お疲れ様です。', 'こんにちは。', 'いつもお世話になっております。'],
    closings: ['よろしくお願いいたします。', '以上です。'],
    attachmentNames: ['議事録', '見積書', '請求書', '資料'],
    wrote: (date, name) => `${date} ${name} wrote:`,
    replyPrefix: 'Re: ',
  },
  zh: {
    charsets: [['utf-8', 100]],
    firstNames: [
      ['伟', 'wei'],
      ['芳', 'fang'],
      ['娜', 'na'],
      ['强', 'qiang'],
      ['敏', 'min'],
    ],
    lastNames: [
      ['王', 'wang'],
      ['李', 'li'],
      ['张', 'zhang'],
      ['刘', 'liu'],
      ['陈', 'chen'],
    ],
    familyFirst: true,
    nameSeparator: '',
    domains: ['example.cn', 'mail.example.com.cn'],
    subjects: ['会议通知', '项目进度报告', '请查收附件', '下周的安排', '发票已开具'],
    sentences: [
      '感谢您的及时回复。',
      '请查收附件中的文件。',
      '会议改到下周三下午三点。',
      '如有任何问题，请随时与我联系。',
      '项目进展顺利，预计月底完成。',
      '祝您工作顺利！',
    ],
    greetings: ['您好，', '大家好，'],
    closings: ['谢谢', '此致敬礼'],
    attachmentNames: ['报告', '发票', '合同'],
    wrote: (date, name) => `${date}，${name} 写道：`,
    replyPrefix: '回复：',
  },
}

export interface MailingList {
  id: string
  name: string
  address: string
  locale: Locale
}

export const MAILING_LISTS: readonly MailingList[] = [
  {
    id: 'dev.lists.example.org',
    name: 'Developer discussion',
    address: 'dev@lists.example.org',
    locale: 'en',
  },
  { id: 'users.lists.example.org', name: 'User help', address: 'users@lists.example.org', locale: 'en' },
  {
    id: 'announce.lists.example.org',
    name: 'Announcements',
    address: 'announce@lists.example.org',
    locale: 'en',
  },
  {
    id: 'de-users.lists.example.de',
    name: 'Deutschsprachige Nutzer',
    address: 'de-users@lists.example.de',
    locale: 'de',
  },
  { id: 'ru-talk.lists.example.ru', name: 'Обсуждение', address: 'ru-talk@lists.example.ru', locale: 'ru' },
  {
    id: 'ja-dev.lists.example.jp',
    name: '開発者メーリングリスト',
    address: 'ja-dev@lists.example.jp',
    locale: 'ja',
  },
]

export interface NewsletterSender {
  name: string
  address: string
  topics: readonly string[]
}

export const NEWSLETTERS: readonly NewsletterSender[] = [
  {
    name: 'Shop Weekly',
    address: 'news@shop.example.com',
    topics: ['This week’s deals', 'New arrivals', 'Last chance: 30% off', '🎁 Gift ideas'],
  },
  {
    name: 'Tech Digest',
    address: 'digest@techdigest.example',
    topics: ['Top stories', 'Your weekly digest'],
  },
  {
    name: 'Reisebüro Sonne',
    address: 'angebote@reise.example.de',
    topics: ['Frühbucher-Rabatt', 'Städtereisen'],
  },
  {
    name: 'City Library',
    address: 'noreply@library.example.org',
    topics: ['Your loans are due', 'Events this month'],
  },
]

export const NOTIFIERS: readonly { name: string; address: string; subjects: readonly string[] }[] = [
  {
    name: 'Code Host',
    address: 'notifications@code.example.com',
    subjects: ['[acme/api] Pull request #%d: fix pagination', '[acme/web] Issue #%d: crash on login'],
  },
  {
    name: 'Calendar',
    address: 'calendar@example.com',
    subjects: ['Reminder: Standup @ %d:00', 'Updated invitation'],
  },
  {
    name: 'Bank',
    address: 'alerts@bank.example',
    subjects: ['Your statement is ready', 'Card payment of €%d'],
  },
]
